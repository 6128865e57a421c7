package dev.ferry.storage.s3;

import dev.ferry.storage.StoragePath;
import java.util.Optional;

/**
 * Maps storage paths to object keys and back: {@code /a/b} is {@code <prefix>a/b}, and the
 * directory {@code /a} is the key prefix {@code <prefix>a/} (its marker object has that key).
 * StoragePath segments never hold {@code /}, so the mapping is one to one.
 */
record Keys(String prefix) {

    /** The object key of a file. */
    String file(StoragePath path) {
        return prefix + String.join("/", path.segments());
    }

    /** The key prefix of a directory, which is also the key of its marker; the root is the prefix. */
    String directory(StoragePath path) {
        return path.isRoot() ? prefix : file(path) + "/";
    }

    /**
     * The child of {@code dir} named by a key or common prefix that S3 listed under
     * {@link #directory(StoragePath) directory(dir)}; empty for names no StoragePath can hold
     * (written by other tools: {@code a//b}, {@code ..}), which listings skip.
     */
    Optional<StoragePath> child(StoragePath dir, String keyOrPrefix) {
        String name = keyOrPrefix.substring(directory(dir).length());
        if (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        try {
            return Optional.of(dir.child(name));
        } catch (StoragePath.InvalidPathException e) {
            return Optional.empty();
        }
    }
}
