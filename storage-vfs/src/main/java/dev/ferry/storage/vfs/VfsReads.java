package dev.ferry.storage.vfs;

import dev.ferry.storage.Capability;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ReadableByteChannel;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.RandomAccessContent;
import org.apache.commons.vfs2.util.RandomAccessMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads. With RANDOM_ACCESS_READ the provider starts at the offset (SFTP reads from there, local
 * disk seeks); otherwise the skipped bytes are read and dropped.
 */
final class VfsReads {

    private static final Logger LOG = LoggerFactory.getLogger(VfsReads.class);

    private final Capabilities capabilities;
    private final Entries entries;

    VfsReads(Capabilities capabilities, Entries entries) {
        this.capabilities = capabilities;
        this.entries = entries;
    }

    /** Opens the bytes over {@code lease}'s connection, which the reader frees when closed. */
    ReadableByteChannel open(StoragePath path, FileObject file, long offset, Connections.Lease lease)
            throws StorageException {
        FileInfo info = entries.read(path, file);
        if (info.isDirectory()) {
            throw new StorageException.IsADirectory(path);
        }
        long remaining = Math.max(0, info.size() - offset);
        if (remaining == 0) {
            lease.release();
            return new ContentReader(InputStream.nullInputStream(), null, 0);
        }
        RandomAccessContent random = null;
        try {
            if (capabilities.has(Capability.RANDOM_READ) && offset > 0) {
                random = file.getContent().getRandomAccessContent(RandomAccessMode.READ);
                random.seek(offset);
                RandomAccessContent content = random;
                return new ContentReader(random.getInputStream(), () -> {
                    try {
                        content.close();
                    } finally {
                        lease.release();
                    }
                }, remaining);
            }
            InputStream in = file.getContent().getInputStream(VfsFiles.BUFFER);
            try {
                in.skipNBytes(offset);
            } catch (IOException e) {
                in.close();
                throw e;
            }
            return new ContentReader(in, lease::release, remaining);
        } catch (IOException e) {
            closeQuietly(random);
            throw VfsErrors.map(path, e);
        }
    }

    private static void closeQuietly(RandomAccessContent random) {
        if (random != null) {
            try {
                random.close();
            } catch (IOException e) {
                LOG.debug("Closing random access content failed: {}", VfsErrors.safe(e));
            }
        }
    }
}
