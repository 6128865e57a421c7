package dev.ferry.storage.local;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a directory's entries as the OS returns them, so a huge directory is never held in
 * memory. Each entry costs one fstatat through the directory's descriptor; only a link costs more: it
 * is resolved from the listed directory as any path of the jail, and reported as what it points to.
 * Left out: upload temp files, links leading outside the jail (as if absent), dangling links,
 * devices, FIFOs and sockets, entries that vanish while listing, and names a StoragePath cannot
 * hold (CR, LF): a client could not name them in a command either. Iterable once.
 */
final class DirectoryListing implements Listing {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryListing.class);

    private final StoragePath dir;
    private final Walk walk;
    private final Dir listed;
    private final Attributes attributes;

    /** {@code walk} stands in the directory {@code listed} is open on; the listing closes both. */
    DirectoryListing(StoragePath dir, Walk walk, Dir listed, Attributes attributes) {
        this.dir = dir;
        this.walk = walk;
        this.listed = listed;
        this.attributes = attributes;
    }

    @Override
    public Iterator<FileInfo> iterator() {
        return listed.entries(dir, entry -> info(entry.getFileName()).orElse(null));
    }

    private Optional<FileInfo> info(Path name) {
        String text = name.toString();
        if (TempFiles.isReserved(text)) {
            return Optional.empty();
        }
        StoragePath path;
        try {
            path = dir.child(text);
        } catch (StoragePath.InvalidPathException e) {
            LOG.debug("Listing of {} leaves out a name no client can use", dir);
            return Optional.empty();
        }
        try {
            BasicFileAttributes own = attributes.lstat(listed.stream(), name);
            if (!own.isSymbolicLink()) {
                return Attributes.info(path, own);
            }
            try (Walk link = walk.fork()) {
                Entry target = link.follow(path, name, false);
                return target.exists() ? Attributes.info(path, target.attributes()) : Optional.empty();
            }
        } catch (NoSuchFileException | StorageException.NotFound gone) {
            return Optional.empty();
        } catch (IOException | StorageException e) {
            LOG.debug("Listing of {} leaves out {}: {}", dir, text, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        listed.close();
        walk.close();
    }
}
