package dev.ferry.server.log;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One append-only log file written by one virtual thread. Sessions and transfers only put a line
 * on a queue, so a slow disk never holds up a transfer and no lock is held around file IO; the
 * writer flushes whenever the queue runs dry, so a line reaches the file about as soon as it is
 * logged. Created with mode 0600 where the file system has Unix modes, as vsftpd does.
 */
final class LogFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogFile.class);
    /** Queued after the last line: tells the writer to finish. */
    private static final String END = new String("end of log");

    private final Path path;
    private final BufferedWriter out;
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    private LogFile(Path path, BufferedWriter out) {
        this.path = path;
        this.out = out;
        this.writer = Thread.ofVirtual().name("ferry-log-" + path.getFileName()).start(this::drain);
    }

    /** Opens {@code path} for appending, creating it (and nothing else) when missing. */
    static LogFile open(Path path) throws IOException {
        createPrivate(path);
        return new LogFile(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    }

    /**
     * Creates {@code path} (and nothing else) with mode 0600 where the file system has Unix modes,
     * unless it exists; then checks that it can be appended to, so a bad path stops the start.
     */
    static void createPrivate(Path path) throws IOException {
        if (Files.notExists(path) && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            try {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process created it meanwhile: append to it
            }
        }
        Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
    }

    /** Queues one line (without its newline). Never blocks. */
    void append(String line) {
        if (!closed) {
            queue.add(line);
        }
    }

    private void drain() {
        try {
            while (true) {
                String line = queue.take();
                // write everything that is waiting, then flush once
                while (line != null) {
                    if (line == END) {
                        out.flush();
                        return;
                    }
                    out.write(line);
                    out.write('\n');
                    line = queue.poll();
                }
                out.flush();
            }
        } catch (IOException e) {
            // vsftpd ignores failed log writes too ("maybe the disk filled"); say so once
            LOG.error("writing {} failed, no more lines go there: {}", path, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued, then closes the file. */
    @Override
    public void close() {
        closed = true;
        queue.add(END);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("closing {}: {}", path, e.toString());
        }
    }
}
