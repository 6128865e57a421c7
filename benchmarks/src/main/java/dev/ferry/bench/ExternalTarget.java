package dev.ferry.bench;

import java.io.IOException;

/**
 * A server someone else started (vsftpd, a Ferry jar): only its address is known, and its memory
 * only when its process id is given (RSS/PSS; no heap).
 */
record ExternalTarget(String name, String host, int port, String user, String password, long pid) implements Target {

    @Override
    public MemorySample memory() throws IOException {
        if (pid <= 0) {
            return new MemorySample(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return MemorySample.ofProcess(pid);
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
