package dev.ferry.storage.local;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Turns the JDK's file errors into the SPI's kinds. The JDK has exception classes for only a few
 * errno values and reports the rest as a {@link FileSystemException} whose reason is the C library's
 * message, so those are matched by text (glibc and musl wording).
 */
final class IoErrors {

    private IoErrors() {
    }

    static StorageException map(StoragePath path, IOException e) {
        return switch (e) {
            case NoSuchFileException ignored -> new StorageException.NotFound(path);
            case FileAlreadyExistsException ignored -> new StorageException.AlreadyExists(path);
            case DirectoryNotEmptyException ignored -> new StorageException.DirectoryNotEmpty(path);
            case AccessDeniedException ignored -> new StorageException.AccessDenied(path, "");
            case NotDirectoryException ignored -> new StorageException.NotADirectory(path);
            case FileSystemException fse when fse.getReason() != null -> byReason(path, fse.getReason(), e);
            default -> byReason(path, e.getMessage() == null ? "" : e.getMessage(), e);
        };
    }

    private static StorageException byReason(StoragePath path, String reason, IOException e) {
        String text = reason.toLowerCase(Locale.ROOT);
        if (text.contains("no space left") || text.contains("quota exceeded")) {
            return new StorageException.InsufficientSpace(path, e);
        }
        if (text.contains("not a directory")) {
            return new StorageException.NotADirectory(path);
        }
        if (text.contains("is a directory")) {
            return new StorageException.IsADirectory(path);
        }
        if (text.contains("directory not empty")) {
            return new StorageException.DirectoryNotEmpty(path);
        }
        if (text.contains("file name too long")) {
            return new StorageException.InvalidName(path, "name too long for the file system");
        }
        if (text.contains("too many levels of symbolic links")) {
            // ELOOP: an open with O_NOFOLLOW met a link that was swapped in after the jail looked
            // (or a loop of links in a configured path): as if absent, like any link it refuses
            return new StorageException.NotFound(path);
        }
        if (text.contains("read-only file system") || text.contains("operation not permitted")) {
            return new StorageException.AccessDenied(path, reason);
        }
        return new StorageException.Failed(path, path + ": " + reason, e);
    }
}
