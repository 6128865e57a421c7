package dev.ferry.server.tls;

/** Key material that cannot be used; the message names the file and the directive. */
public final class TlsConfigException extends Exception {
    public TlsConfigException(String message) {
        super(message);
    }

    public TlsConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
