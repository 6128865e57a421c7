package dev.ferry.server.protocol;

import dev.ferry.storage.StorageException;

/**
 * The one place a storage failure becomes an FTP reply. The switch is exhaustive over the sealed
 * hierarchy, so a new failure kind cannot be forgotten. Replies name the kind of failure, never
 * the storage's own path or message, which can reveal where a user's root lies.
 */
public final class StorageReplies {

    private StorageReplies() {
    }

    /** {@code action} is the vsftpd-style sentence, e.g. "Create directory operation failed". */
    public static Reply reply(StorageException failure, String action) {
        return switch (failure) {
            case StorageException.NotFound e -> Reply.of(550, action + ": no such file or directory.");
            case StorageException.AlreadyExists e -> Reply.of(550, action + ": file exists.");
            case StorageException.NotADirectory e -> Reply.of(550, action + ": not a directory.");
            case StorageException.IsADirectory e -> Reply.of(550, action + ": is a directory.");
            case StorageException.DirectoryNotEmpty e -> Reply.of(550, action + ": directory not empty.");
            case StorageException.AccessDenied e -> Reply.of(550, action + ": permission denied.");
            // RFC 959: 553 "File name not allowed"
            case StorageException.InvalidName e -> Reply.of(553, action + ": file name not allowed.");
            // RFC 959: 452 "Insufficient storage space in system"
            case StorageException.InsufficientSpace e -> Reply.of(452, action + ": insufficient storage space.");
            case StorageException.Unsupported e -> Reply.of(502, action + ": not supported by this storage.");
            // 4xx: the client may try again
            case StorageException.Transient e -> Reply.of(451, action + ": temporary storage failure, try again.");
            case StorageException.Failed e -> Reply.of(451, action + ": local error in processing.");
        };
    }
}
