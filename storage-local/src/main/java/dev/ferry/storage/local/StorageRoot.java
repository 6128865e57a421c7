package dev.ferry.storage.local;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;

/**
 * The jail of the storage itself (local_storage_root): its directory is opened once, by its real
 * path, and every operation of the storage and of its views starts from that descriptor. Should an
 * administrator move the directory while Ferry runs, Ferry keeps serving it where it went (absolute
 * link targets, matched against the old real path, then count as outside).
 */
final class StorageRoot implements Jail {

    private final SecureDirectoryStream<Path> stream;
    private final Path real;
    private final Attributes attributes;
    private volatile boolean closed;

    private StorageRoot(SecureDirectoryStream<Path> stream, Path real, Attributes attributes) {
        this.stream = stream;
        this.real = real;
        this.attributes = attributes;
    }

    /**
     * Opens {@code real} (a real path: absolute, no links). Without a {@link SecureDirectoryStream}
     * (openat and friends) the jail cannot be kept, so the storage refuses to start.
     */
    static StorageRoot open(Path real, Attributes attributes) throws StorageException {
        DirectoryStream<Path> stream;
        try {
            stream = Files.newDirectoryStream(real);
        } catch (IOException e) {
            throw new StorageException.Failed(StoragePath.ROOT,
                    "local_storage_root " + real + " cannot be opened: " + e, e);
        }
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return new StorageRoot(secure, real, attributes);
        }
        try {
            stream.close();
        } catch (IOException ignored) {
            // nothing was read from it
        }
        throw new StorageException.Failed(StoragePath.ROOT, "The local backend needs java.nio.file.SecureDirectoryStream"
                + " (openat and friends) to keep sessions inside their root, and this platform's Java ("
                + System.getProperty("os.name") + ", " + System.getProperty("java.vm.name")
                + ") does not provide it for " + real, null);
    }

    Path real() {
        return real;
    }

    @Override
    public Walk open(StoragePath path) throws StorageException {
        if (closed) {
            throw new StorageException.Failed(path, "The local storage of " + real + " is closed", null);
        }
        return new Walk(Dir.borrowed(stream), real, attributes);
    }

    /** Waits for operations using the root to finish (the stream's lock), then closes it. */
    void close() {
        closed = true;
        try {
            stream.close();
        } catch (IOException e) {
            // closing a directory descriptor does not fail in practice; nothing to recover
        }
    }
}
