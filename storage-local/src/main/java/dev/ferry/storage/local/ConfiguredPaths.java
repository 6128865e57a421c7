package dev.ferry.storage.local;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Paths from the configuration (home directories, local_root) turned into paths of the storage. */
final class ConfiguredPaths {

    private ConfiguredPaths() {
    }

    /**
     * An absolute path, or one relative to the working directory, that must lie inside the root
     * {@code root} (after following links, for paths that exist).
     */
    static StoragePath resolve(String text, Path root) throws StorageException {
        Path path;
        try {
            path = Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new StorageException.Failed(StoragePath.ROOT, "'" + text + "' is not a valid path: " + e.getMessage(), e);
        }
        Path real = path;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException missing) {
            // a home directory that is made later; checked lexically
        } catch (IOException e) {
            throw new StorageException.Failed(StoragePath.ROOT, "'" + text + "' cannot be read: " + e, e);
        }
        if (!real.startsWith(root)) {
            throw new StorageException.Failed(StoragePath.ROOT, "'" + text + "' (" + real
                    + ") is outside local_storage_root " + root
                    + "; every served directory must lie inside it", null);
        }
        StoragePath result;
        try {
            result = toStoragePath(root, real);
        } catch (StoragePath.InvalidPathException e) {
            throw new StorageException.Failed(StoragePath.ROOT, "'" + text + "' holds a name Ferry cannot serve", e);
        }
        for (String segment : result.segments()) {
            if (TempFiles.isReserved(segment)) {
                throw new StorageException.InvalidName(result, "reserved for uploads in progress");
            }
        }
        return result;
    }

    private static StoragePath toStoragePath(Path root, Path real) {
        StoragePath result = StoragePath.ROOT;
        for (Path name : root.relativize(real)) {
            if (!name.toString().isEmpty()) {
                result = result.child(name.toString());
            }
        }
        return result;
    }
}
