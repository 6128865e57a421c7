package dev.ferry.storage;

/**
 * Every failure a backend reports, as one sealed hierarchy: the server turns each kind into its
 * FTP reply in one exhaustive switch, so a new kind cannot be forgotten there.
 */
public sealed abstract class StorageException extends Exception {

    private final String path;

    protected StorageException(String path, String message, Throwable cause) {
        super(message, cause);
        this.path = path;
    }

    /** The path concerned, as the storage names it (may be empty). */
    public String path() {
        return path;
    }

    public static final class NotFound extends StorageException {
        public NotFound(StoragePath path) {
            super(path.toString(), "No such file or directory: " + path, null);
        }
    }

    public static final class AlreadyExists extends StorageException {
        public AlreadyExists(StoragePath path) {
            super(path.toString(), "File exists: " + path, null);
        }
    }

    public static final class NotADirectory extends StorageException {
        public NotADirectory(StoragePath path) {
            super(path.toString(), "Not a directory: " + path, null);
        }
    }

    public static final class IsADirectory extends StorageException {
        public IsADirectory(StoragePath path) {
            super(path.toString(), "Is a directory: " + path, null);
        }
    }

    public static final class DirectoryNotEmpty extends StorageException {
        public DirectoryNotEmpty(StoragePath path) {
            super(path.toString(), "Directory not empty: " + path, null);
        }
    }

    public static final class AccessDenied extends StorageException {
        public AccessDenied(StoragePath path, String reason) {
            super(path.toString(), "Permission denied: " + path + (reason.isEmpty() ? "" : " (" + reason + ")"), null);
        }
    }

    /** A name the backend cannot store (too long, a character it forbids). */
    public static final class InvalidName extends StorageException {
        public InvalidName(StoragePath path, String reason) {
            super(path.toString(), "Invalid name: " + path + " (" + reason + ")", null);
        }
    }

    public static final class InsufficientSpace extends StorageException {
        public InsufficientSpace(StoragePath path, Throwable cause) {
            super(path.toString(), "No space left for " + path, cause);
        }
    }

    /** The backend cannot do this at all (see {@link Capability}). */
    public static final class Unsupported extends StorageException {
        public Unsupported(String operation) {
            super("", "Not supported by this storage: " + operation, null);
        }
    }

    /** A failure worth retrying: a network error, a timeout, a throttled request. */
    public static final class Transient extends StorageException {
        public Transient(StoragePath path, String message, Throwable cause) {
            super(path.toString(), message, cause);
        }
    }

    /** Anything else. */
    public static final class Failed extends StorageException {
        public Failed(StoragePath path, String message, Throwable cause) {
            super(path.toString(), message, cause);
        }
    }
}
