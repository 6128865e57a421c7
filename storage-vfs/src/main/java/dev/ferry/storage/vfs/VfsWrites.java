package dev.ferry.storage.vfs;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.io.OutputStream;
import java.util.OptionalLong;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;

/**
 * Starts uploads at canonical paths: temp-then-move where the provider renames ({@link TempUploads}),
 * else in place.
 */
final class VfsWrites {

    private final Mount mount;

    VfsWrites(Mount mount) {
        this.mount = mount;
    }

    /**
     * An upload to {@code real}, the canonical path of the client's {@code path}; the upload keeps
     * its connection until it commits or aborts.
     */
    Upload open(StoragePath path, StoragePath real, WriteMode mode, TempUploads.Recheck recheck)
            throws StorageException {
        Capabilities capabilities = mount.capabilities();
        return mount.connections().hold(path, lease -> {
            FileObject target = mount.paths().resolve(real, lease.root);
            FileObject parent = mount.entries().folder(real.parent(), mount.paths().resolve(real.parent(), lease.root));
            FileInfo existing = mount.entries().existing(real, target);
            if (existing != null && existing.isDirectory()) {
                throw new StorageException.IsADirectory(path);
            }
            long keep = mode.bytesToKeep(path,
                    existing == null ? OptionalLong.empty() : OptionalLong.of(existing.size()));
            return capabilities.renamable()
                    ? new TempUploads(mount, real, parent, mode instanceof WriteMode.CreateNew, recheck, lease)
                            .open(target, keep)
                    : inPlace(real, target, lease);
        });
    }

    /**
     * Without rename the bytes go straight to the target: a reader can see a partial file, and a
     * failed upload is deleted rather than rolled back (README: what is atomic where).
     */
    private Upload inPlace(StoragePath path, FileObject target, Connections.Lease lease) throws StorageException {
        try {
            OutputStream out = target.getContent().getOutputStream(false, VfsFiles.BUFFER);
            return new VfsUpload(path, out, 0, () -> {
                VfsFiles.refresh(target);
                mount.cache().changed(path);
                lease.release();
            }, () -> {
                VfsFiles.deleteQuietly(target, "the partial upload");
                mount.cache().changed(path);
                lease.release();
            });
        } catch (FileSystemException e) {
            throw VfsErrors.map(path, e);
        }
    }
}
