package dev.ferry.server.config;

/**
 * A configuration the server must not start with: an unreadable file, an unknown directive, a bad
 * value or values that contradict each other. The message is meant for the operator as is; it
 * starts with where the problem is ({@code /etc/ferry.conf:12: ...} or
 * {@code command line (-o listen_port=abc): ...}), like vsftpd, which also dies on the first bad line.
 */
public final class ConfigException extends Exception {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
