package dev.ferry.storage.local;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Maps storage paths to file system paths and keeps every operation inside the root. StoragePath
 * already rules out {@code ..}; what remains are symbolic links, which are followed only while their
 * target stays inside the root. Anything else is refused as {@link StorageException.AccessDenied}.
 *
 * <p>The check and the later system call are two steps, so someone with a shell on the server could
 * swap a link in between; FTP clients cannot create links at all, and the final open of a file uses
 * {@code NOFOLLOW_LINKS} on the resolved path.
 */
final class Confinement {

    private final Path root;

    /** {@code root} must be a real path (absolute, no links). */
    Confinement(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    boolean inside(Path real) {
        return real.startsWith(root);
    }

    /** The real path of an existing entry, links followed. */
    Path existing(StoragePath path) throws StorageException {
        Path real;
        try {
            real = lexical(path).toRealPath();
        } catch (IOException e) {
            throw IoErrors.map(path, e);
        }
        if (!inside(real)) {
            throw outside(path);
        }
        return real;
    }

    /**
     * The entry itself, not followed: the real parent directory plus the last name. Used by
     * operations on names (create, delete, rename, the target of an upload). A link there must
     * point inside the root, even when it dangles.
     */
    Path entry(StoragePath path) throws StorageException {
        if (path.isRoot()) {
            return root;
        }
        Path entry = existing(path.parent()).resolve(checkedName(path, path.name()));
        if (Files.isSymbolicLink(entry)) {
            linkTarget(path, entry);
        }
        return entry;
    }

    /**
     * Where the bytes of an upload to {@code path} go: the entry, or the file a link there points
     * to (links inside the root are followed for writes as they are for reads).
     */
    Path writeTarget(StoragePath path) throws StorageException {
        Path entry = entry(path);
        return Files.isSymbolicLink(entry) ? linkTarget(path, entry) : entry;
    }

    /** The storage path of a real path inside the root. */
    StoragePath toStoragePath(Path real) {
        StoragePath result = StoragePath.ROOT;
        for (Path name : root.relativize(real)) {
            if (!name.toString().isEmpty()) {
                result = result.child(name.toString());
            }
        }
        return result;
    }

    static StorageException.AccessDenied outside(StoragePath path) {
        return new StorageException.AccessDenied(path, "symbolic link leads outside the storage root");
    }

    /** A link's target: real when it exists, else the normalized text of the dangling link. */
    private Path linkTarget(StoragePath path, Path link) throws StorageException {
        Path target;
        try {
            target = link.toRealPath();
        } catch (NoSuchFileException dangling) {
            try {
                target = link.getParent().resolve(Files.readSymbolicLink(link)).normalize();
            } catch (IOException e) {
                throw IoErrors.map(path, e);
            }
        } catch (IOException e) {
            throw IoErrors.map(path, e);
        }
        if (!inside(target)) {
            throw outside(path);
        }
        return target;
    }

    private Path lexical(StoragePath path) throws StorageException {
        Path result = root;
        for (String segment : path.segments()) {
            result = result.resolve(checkedName(path, segment));
        }
        return result;
    }

    private static String checkedName(StoragePath path, String name) throws StorageException {
        if (TempFiles.isReserved(name)) {
            throw new StorageException.InvalidName(path, "names starting with " + TempFiles.PREFIX
                    + " are reserved for uploads in progress");
        }
        try {
            Path.of(name);
        } catch (InvalidPathException e) {
            // the JVM's file name encoding (sun.jnu.encoding, from the locale) cannot express it
            throw new StorageException.InvalidName(path, "the file system encoding cannot express this name");
        }
        return name;
    }
}
