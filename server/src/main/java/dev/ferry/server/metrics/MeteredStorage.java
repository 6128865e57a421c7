package dev.ferry.server.metrics;

import dev.ferry.storage.Capability;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.NameListing;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A storage whose every call is timed, labelled with the operation and its outcome ("ok" or the
 * kind of {@link StorageException}). Reads and writes of file content are not timed chunk by
 * chunk: opening them is, and so is an upload's commit, where object stores do their work.
 */
final class MeteredStorage implements Storage {

    /** One call into the wrapped storage. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws StorageException;
    }

    /** A call without a result. */
    @FunctionalInterface
    private interface Action {
        void run() throws StorageException;
    }

    private final Storage storage;
    private final Metrics metrics;

    MeteredStorage(Storage storage, Metrics metrics) {
        this.storage = storage;
        this.metrics = metrics;
    }

    private <T> T timed(String operation, Call<T> call) throws StorageException {
        long start = System.nanoTime();
        String outcome = "ok";
        try {
            return call.run();
        } catch (StorageException e) {
            outcome = kind(e);
            throw e;
        } catch (RuntimeException e) {
            outcome = "runtime_exception";
            throw e;
        } finally {
            metrics.storageOperation(operation, outcome, System.nanoTime() - start);
        }
    }

    private void timedAction(String operation, Action action) throws StorageException {
        timed(operation, () -> {
            action.run();
            return null;
        });
    }

    /** The label of a failure: one per kind the SPI defines, so the set stays closed. */
    static String kind(StorageException e) {
        return switch (e) {
            case StorageException.NotFound x -> "not_found";
            case StorageException.AlreadyExists x -> "already_exists";
            case StorageException.NotADirectory x -> "not_a_directory";
            case StorageException.IsADirectory x -> "is_a_directory";
            case StorageException.DirectoryNotEmpty x -> "directory_not_empty";
            case StorageException.AccessDenied x -> "access_denied";
            case StorageException.InvalidName x -> "invalid_name";
            case StorageException.InsufficientSpace x -> "insufficient_space";
            case StorageException.Unsupported x -> "unsupported";
            case StorageException.Transient x -> "transient";
            case StorageException.Failed x -> "failed";
        };
    }

    @Override
    public Set<Capability> capabilities() {
        return storage.capabilities();
    }

    @Override
    public FileInfo stat(StoragePath path) throws StorageException {
        return timed("stat", () -> storage.stat(path));
    }

    @Override
    public Listing list(StoragePath dir) throws StorageException {
        return timed("list", () -> storage.list(dir));
    }

    /** Timed as a listing: NLST's way to list (the operation labels stay the same set). */
    @Override
    public NameListing names(StoragePath dir) throws StorageException {
        return timed("list", () -> storage.names(dir));
    }

    @Override
    public ReadableByteChannel openRead(StoragePath path, long offset) throws StorageException {
        return timed("open_read", () -> storage.openRead(path, offset));
    }

    @Override
    public Optional<ReadableByteChannel> openRead(StoragePath path, long offset, Predicate<FileInfo> proceed)
            throws StorageException {
        return timed("open_read", () -> storage.openRead(path, offset, proceed));
    }

    @Override
    public Upload openWrite(StoragePath path, WriteMode mode) throws StorageException {
        Upload upload = timed("open_write", () -> storage.openWrite(path, mode));
        return new MeteredUpload(upload);
    }

    @Override
    public Upload openWrite(StoragePath path, WriteMode mode, OptionalInt permissions) throws StorageException {
        Upload upload = timed("open_write", () -> storage.openWrite(path, mode, permissions));
        return new MeteredUpload(upload);
    }

    @Override
    public void createDirectory(StoragePath dir) throws StorageException {
        timedAction("create_directory", () -> storage.createDirectory(dir));
    }

    @Override
    public void delete(StoragePath file) throws StorageException {
        timedAction("delete", () -> storage.delete(file));
    }

    @Override
    public void deleteDirectory(StoragePath dir) throws StorageException {
        timedAction("delete_directory", () -> storage.deleteDirectory(dir));
    }

    @Override
    public void rename(StoragePath from, StoragePath to) throws StorageException {
        timedAction("rename", () -> storage.rename(from, to));
    }

    @Override
    public void setModified(StoragePath path, Instant time) throws StorageException {
        timedAction("set_modified", () -> storage.setModified(path, time));
    }

    @Override
    public void setPermissions(StoragePath path, int mode) throws StorageException {
        timedAction("set_permissions", () -> storage.setPermissions(path, mode));
    }

    @Override
    public Optional<String> storedChecksum(StoragePath path, String algorithm) throws StorageException {
        return timed("stored_checksum", () -> storage.storedChecksum(path, algorithm));
    }

    @Override
    public StoragePath configuredPath(String text) throws StorageException {
        return storage.configuredPath(text); // parses configuration text; no call into the backend
    }

    @Override
    public StoragePath canonical(StoragePath path) throws StorageException {
        return timed("canonical", () -> storage.canonical(path));
    }

    /** A session's view, timed under the same meters as the storage it is a view of. */
    @Override
    public Storage scoped(StoragePath root) throws StorageException {
        return new MeteredStorage(storage.scoped(root), metrics);
    }

    @Override
    public void recover(StoragePath dir) throws StorageException {
        timedAction("recover", () -> storage.recover(dir));
    }

    @Override
    public void close() {
        storage.close();
    }

    /** An upload whose commit is timed; its bytes go straight to the wrapped channel. */
    private final class MeteredUpload implements Upload {
        private final Upload upload;

        MeteredUpload(Upload upload) {
            this.upload = upload;
        }

        @Override
        public WritableByteChannel stream() throws StorageException {
            return upload.stream();
        }

        @Override
        public long commit() throws StorageException {
            return timed("commit", upload::commit);
        }

        @Override
        public void abort() {
            upload.abort();
        }

        @Override
        public void giveTo(String owner) throws StorageException {
            upload.giveTo(owner);
        }

        @Override
        public void close() {
            upload.close();
        }
    }
}
