package dev.ferry.bench;

import java.io.IOException;

/** A server under load: where it listens, how to log in, and how to read its memory. */
interface Target extends AutoCloseable {

    /** The column name in the report. */
    String name();

    /** Loopback: where the servers the tool starts itself listen. */
    default String host() {
        return "127.0.0.1";
    }

    int port();

    /** The servers the tool starts serve the fixtures to anonymous users. */
    default String user() {
        return "anonymous";
    }

    default String password() {
        return "load@example.com";
    }

    /** The server process's memory now, after a GC where the process lets us ask for one. */
    MemorySample memory() throws IOException, InterruptedException;

    default BenchClient login() throws IOException {
        return BenchClient.login(host(), port(), user(), password());
    }

    @Override
    void close();
}
