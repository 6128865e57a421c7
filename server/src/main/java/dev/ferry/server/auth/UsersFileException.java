package dev.ferry.server.auth;

/**
 * The users file cannot be used: unreadable, a malformed line, or a duplicate name. The message
 * reads {@code FILE:LINE: message} like a compiler's, so an operator can jump to the line. It never
 * holds a hash or a password: a plain-text password pasted where a hash belongs must not end up in
 * a log.
 */
public final class UsersFileException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;

    /** A problem on one line ({@code line} counts from 1). */
    UsersFileException(String file, int line, String message) {
        super(file + ":" + line + ": " + message);
        this.file = file;
        this.line = line;
    }

    /** A problem with the whole file, e.g. it cannot be read. */
    UsersFileException(String file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
        this.line = 0;
    }

    public String file() {
        return file;
    }

    /** The line number counted from 1, or 0 when the problem is not on one line. */
    public int line() {
        return line;
    }
}
