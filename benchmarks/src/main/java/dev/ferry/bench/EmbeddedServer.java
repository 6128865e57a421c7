package dev.ferry.bench;

/**
 * An FTP server started in this JVM on a free loopback port, serving one directory (or an
 * in-memory tree) to anonymous users with write access. Both servers get the same rights and
 * limits, so a ratio compares implementations, not settings.
 */
public interface EmbeddedServer extends AutoCloseable {

    /** The loopback port it listens on. */
    int port();

    /** A short name for tables: "ferry-local", "ftpserver", ... */
    String name();

    @Override
    void close();
}
