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

    /**
     * Runs the write of a reply that ends a transfer, under the reply lock. FTPS uses it to send
     * a fresh TLS 1.3 ticket right behind that reply (notes/tls-reuse.md section 1, step 4).
     */
    @FunctionalInterface
    public interface TransferEnd {
        TransferEnd PLAIN = Write::run;

        void around(Write write) throws IOException;
    }

    /** One write to the connection. */
    @FunctionalInterface
    public interface Write {
        void run() throws IOException;
    }

    private final Consumer<Reply> observer;
    private final ReentrantLock lock = new ReentrantLock();
    private OutputStream out;
    private TransferEnd transferEnd = TransferEnd.PLAIN;
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
        send(reply, false);
    }

    public void send(int code, String text) throws IOException {
        send(Reply.of(code, text));
    }

    /** The final reply of a transfer (226, 425, 426, 451, ...). */
    public void sendTransferEnd(Reply reply) throws IOException {
        send(reply, true);
    }

    private void send(Reply reply, boolean endsTransfer) throws IOException {
        byte[] bytes = reply.wire().getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            Write write = () -> {
                out.write(bytes);
                out.flush();
            };
            if (endsTransfer) {
                transferEnd.around(write);
            } else {
                write.run();
            }
            last = reply;
        } finally {
            lock.unlock();
        }
        observer.accept(reply);
        if (LOG.isDebugEnabled()) {
            LOG.debug("> {}", reply);
        }
    }

    /**
     * From now on replies go to {@code out} (AUTH TLS, implicit FTPS, CCC). Taken under the reply
     * lock, so no reply is split between the two streams.
     */
    public void switchTo(OutputStream out, TransferEnd transferEnd) {
        lock.lock();
        try {
            this.out = out;
            this.transferEnd = transferEnd;
        } finally {
            lock.unlock();
        }
    }

    /** The last reply sent, for logs and tests. */
    public Reply last() {
        return last;
    }
}
