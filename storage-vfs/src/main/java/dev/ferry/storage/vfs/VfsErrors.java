package dev.ferry.storage.vfs;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SftpException;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import org.apache.commons.vfs2.FileSystemException;

/**
 * Turns what Commons VFS throws into the SPI's kinds. VFS wraps every provider failure in a
 * {@link FileSystemException} whose cause chain holds the real one (a JSch {@link SftpException} with
 * its SSH_FX status, a socket error, a java.io error from local disk), so the chain is searched for
 * the first cause that says what happened. Network failures become {@link StorageException.Transient}
 * (451: the client may retry, and a broken transfer closes its data connection cleanly).
 */
final class VfsErrors {

    private VfsErrors() {
    }

    static StorageException map(StoragePath path, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            StorageException mapped = byType(path, cause);
            if (mapped != null) {
                return mapped;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return byText(path, failure);
    }

    private static StorageException byType(StoragePath path, Throwable cause) {
        return switch (cause) {
            case org.apache.commons.vfs2.FileNotFoundException e -> new StorageException.NotFound(path);
            case NoSuchFileException e -> new StorageException.NotFound(path);
            case AccessDeniedException e -> new StorageException.AccessDenied(path, "");
            // java.io reports both a missing file and a refused one as FileNotFoundException
            case java.io.FileNotFoundException e -> text(e).contains("permission denied")
                    ? new StorageException.AccessDenied(path, "") : new StorageException.NotFound(path);
            case SftpException e -> sftp(path, e);
            case JSchException e -> new StorageException.Transient(path, "SFTP session failed: " + safe(e), e);
            case SocketException e -> new StorageException.Transient(path, "Connection failed: " + safe(e), e);
            case UnknownHostException e -> new StorageException.Transient(path, "Unknown host: " + safe(e), e);
            case InterruptedIOException e -> new StorageException.Transient(path, "Timed out: " + safe(e), e);
            case EOFException e -> new StorageException.Transient(path, "Connection closed: " + safe(e), e);
            case FileSystemException e when isReadOnly(e) -> new StorageException.AccessDenied(path, "read-only");
            default -> null;
        };
    }

    /** SSH_FX status codes, draft-ietf-secsh-filexfer-02 section 7 (the SFTP v3 that OpenSSH speaks). */
    private static StorageException sftp(StoragePath path, SftpException e) {
        return switch (e.id) {
            case ChannelSftp.SSH_FX_NO_SUCH_FILE -> new StorageException.NotFound(path);
            case ChannelSftp.SSH_FX_PERMISSION_DENIED -> new StorageException.AccessDenied(path, "");
            case ChannelSftp.SSH_FX_NO_CONNECTION, ChannelSftp.SSH_FX_CONNECTION_LOST ->
                    new StorageException.Transient(path, "SFTP connection lost: " + safe(e), e);
            case ChannelSftp.SSH_FX_OP_UNSUPPORTED -> new StorageException.Unsupported("SFTP: " + safe(e));
            // SSH_FX_FAILURE and anything newer: the message is all there is
            default -> byText(path, e);
        };
    }

    private static boolean isReadOnly(FileSystemException e) {
        String code = e.getCode() == null ? "" : e.getCode();
        return code.contains("read-only");
    }

    private static StorageException byText(StoragePath path, Throwable e) {
        String text = text(e);
        if (text.contains("no space left") || text.contains("quota exceeded") || text.contains("disk full")) {
            return new StorageException.InsufficientSpace(path, e);
        }
        if (text.contains("permission denied") || text.contains("access denied")
                || text.contains("read-only file system")) {
            return new StorageException.AccessDenied(path, "");
        }
        if (text.contains("session is down") || text.contains("pipe closed") || text.contains("connection reset")
                || text.contains("broken pipe") || text.contains("connection refused")) {
            return new StorageException.Transient(path, path + ": " + safe(e), e);
        }
        return new StorageException.Failed(path, path + ": " + safe(e), e);
    }

    /** The whole chain's messages, lower case, for the checks that can only go by wording. */
    private static String text(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null && all.length() < 4096; t = t.getCause() == t ? null : t.getCause()) {
            all.append(' ').append(t.getMessage());
        }
        return all.toString().toLowerCase(Locale.ROOT);
    }

    /** A message fit for logs: VFS messages quote URIs, which may carry a password. */
    static String safe(Throwable e) {
        return Uris.redact(String.valueOf(e.getMessage()));
    }
}
