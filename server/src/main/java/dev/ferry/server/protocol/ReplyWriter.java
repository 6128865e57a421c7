package dev.ferry.server.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes replies to the control connection. The control thread and a running transfer both reply
 * (226 comes from the transfer thread), so writes are serialised with a ReentrantLock: a
 * {@code synchronized} block around socket IO would pin the carrier of a virtual thread on JDK 21.
 */
public final class ReplyWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyWriter.class);

    private final OutputStream out;
    private final Consumer<Reply> observer;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Reply last;

    public ReplyWriter(OutputStream out) {
        this(out, reply -> { });
    }

    /** {@code observer} sees every reply once it is sent (log_ftp_protocol); it must not block. */
    public ReplyWriter(OutputStream out, Consumer<Reply> observer) {
        this.out = out;
        this.observer = observer;
    }

    public void send(Reply reply) throws IOException {
        byte[] bytes = reply.wire().getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            out.write(bytes);
            out.flush();
            last = reply;
        } finally {
            lock.unlock();
        }
        observer.accept(reply);
        if (LOG.isDebugEnabled()) {
            LOG.debug("> {}", reply);
        }
    }

    public void send(int code, String text) throws IOException {
        send(Reply.of(code, text));
    }

    /** The last reply sent, for logs and tests. */
    public Reply last() {
        return last;
    }
}
