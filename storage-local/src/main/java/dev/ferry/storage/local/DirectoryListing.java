package dev.ferry.storage.local;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a directory's entries as the OS returns them, so a huge directory is never held in
 * memory. Left out: upload temp files, links leading outside the root (a listing does not reveal
 * where they point; every operation on them is refused anyway), dangling links, devices, FIFOs and
 * sockets, entries that vanish while listing, and names a StoragePath cannot hold (CR, LF): a client
 * could not name them in a command either. Iterable once.
 */
final class DirectoryListing implements Listing {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryListing.class);

    private final StoragePath dir;
    private final DirectoryStream<Path> stream;
    private final Confinement confinement;
    private final Attributes attributes;

    DirectoryListing(StoragePath dir, DirectoryStream<Path> stream, Confinement confinement, Attributes attributes) {
        this.dir = dir;
        this.stream = stream;
        this.confinement = confinement;
        this.attributes = attributes;
    }

    @Override
    public Iterator<FileInfo> iterator() {
        Iterator<Path> entries = stream.iterator();
        return new Iterator<>() {
            private FileInfo next;

            @Override
            public boolean hasNext() {
                try {
                    while (next == null && entries.hasNext()) {
                        next = info(entries.next()).orElse(null);
                    }
                } catch (DirectoryIteratorException e) {
                    throw new ListingFailure(IoErrors.map(dir, e.getCause()));
                }
                return next != null;
            }

            @Override
            public FileInfo next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                FileInfo result = next;
                next = null;
                return result;
            }
        };
    }

    private Optional<FileInfo> info(Path entry) {
        String name = entry.getFileName().toString();
        if (TempFiles.isReserved(name)) {
            return Optional.empty();
        }
        StoragePath path;
        try {
            path = dir.child(name);
        } catch (StoragePath.InvalidPathException e) {
            LOG.debug("Listing of {} leaves out a name no client can use", dir);
            return Optional.empty();
        }
        try {
            // one lstat for a plain file or directory (most entries): a link reads as neither and
            // only then is it looked at as a link
            Optional<FileInfo> own = attributes.read(path, entry);
            if (own.isPresent() || !Files.isSymbolicLink(entry)) {
                return own;
            }
            Path real = entry.toRealPath();
            if (!confinement.inside(real)) {
                return Optional.empty();
            }
            return attributes.read(path, real);
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.debug("Listing of {} leaves out {}: {}", dir, name, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        try {
            stream.close();
        } catch (IOException e) {
            LOG.debug("Closing the listing of {} failed", dir, e);
        }
    }
}
