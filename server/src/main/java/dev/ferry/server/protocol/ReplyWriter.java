package dev.ferry.server.protocol;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
     * Runs the writes of the replies around a data connection, under the reply lock. FTPS sends a
     * fresh TLS 1.3 ticket inside the reply that offers a data connection, in front of its line
     * end, so the client has it before it reads the whole line and connects (notes/tls-reuse.md
     * section 1, step 4), and learns from the next final reply (the transfer's end, or the refusal
     * of the command that would have opened it) that the ticket is spent or will not be used.
     */
    public interface DataReplies {
        DataReplies PLAIN = new DataReplies() {
            @Override
            public void offer(Write head, Write lineEnd) throws IOException {
                head.run();
                lineEnd.run();
            }

            @Override
            public void finalReply(Write write) throws IOException {
                write.run();
            }
        };

        /** The reply to PASV, EPSV, PORT or EPRT: {@code head} is all of it but the final CRLF. */
        void offer(Write head, Write lineEnd) throws IOException;

        /** Any other reply of code 200 or above (a transfer's end among them). */
        void finalReply(Write write) throws IOException;
    }

    /** One write to the connection. */
    @FunctionalInterface
    public interface Write {
        void run() throws IOException;
    }

    /**
     * A send after {@link #sendClosing}: the connection is being closed, and the client's last
     * reply was {@link #reply()}. A transfer cut by a stop logs that, not a 426 nobody read.
     */
    public static final class Closed extends IOException {
        private final transient Reply reply;

        Closed(Reply reply) {
            super("the connection was closed with " + reply.code());
            this.reply = reply;
        }

        public Reply reply() {
            return reply;
        }
    }

    private final Consumer<Reply> observer;
    private final ReentrantLock lock = new ReentrantLock();
    private OutputStream out;
    private DataReplies dataReplies = DataReplies.PLAIN;
    private volatile Reply last;
    /** The reply the connection was closed with, once {@link #sendClosing} sent it. */
    private volatile Reply closing;

    public ReplyWriter(OutputStream out) {
        this(out, reply -> { });
    }

    /** {@code observer} sees every reply once it is sent (log_ftp_protocol); it must not block. */
    public ReplyWriter(OutputStream out, Consumer<Reply> observer) {
        this.out = out;
        this.observer = observer;
    }

    public void send(Reply reply) throws IOException {
        send(reply, Kind.PLAIN);
    }

    /** The reply that tells the client where its next data connection goes (227, 229, or 200 to PORT/EPRT). */
    public void sendDataOffer(Reply reply) throws IOException {
        send(reply, Kind.OFFER);
    }

    private enum Kind { PLAIN, OFFER }

    public void send(int code, String text) throws IOException {
        send(Reply.of(code, text));
    }

    /**
     * The last reply of the connection (a 421): once it is out, every later send throws {@link Closed}
     * naming it, since the connection is about to close and the client will read nothing after it.
     */
    public void sendClosing(Reply reply) throws IOException {
        lock.lock();
        try {
            send(reply, Kind.PLAIN);
            closing = reply;
        } finally {
            lock.unlock();
        }
    }

    private void send(Reply reply, Kind kind) throws IOException {
        byte[] bytes = reply.wire().getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            if (closing != null) {
                throw new Closed(closing);
            }
            Write write = () -> {
                out.write(bytes);
                out.flush();
            };
            switch (kind) {
                case PLAIN -> {
                    if (reply.code() >= 200) {
                        dataReplies.finalReply(write);
                    } else {
                        write.run(); // 150: the data connection's handshake is still to come
                    }
                }
                case OFFER -> {
                    if (dataReplies == DataReplies.PLAIN) {
                        // no ticket goes in front of the line end: the line in one write, so the
                        // client reads it in one segment instead of waking twice per PASV
                        write.run();
                    } else {
                        int head = bytes.length - 2; // a single-line reply ends with CRLF
                        dataReplies.offer(() -> out.write(bytes, 0, head), () -> {
                            out.write(bytes, head, 2);
                            out.flush();
                        });
                    }
                }
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

    /** Where a streamed reply gets its middle lines from. */
    @FunctionalInterface
    public interface Lines {
        /** Hands each line to {@code sink}, in order. */
        void each(LineSink sink) throws IOException;
    }

    /** Takes one middle line of a streamed reply. */
    @FunctionalInterface
    public interface LineSink {
        void line(String text) throws IOException;
    }

    /**
     * A multi-line reply whose middle lines are written as {@code middle} produces them (STAT of a
     * directory), in buffered chunks under the reply lock, so a huge directory is never held
     * whole. When {@code middle} fails part way, the reply is still closed, its last line saying it
     * is incomplete, and the failure is rethrown for the caller to log (the client has its reply).
     * The observer sees the first and last lines and how many came between.
     */
    public void sendStreamed(int code, String first, Lines middle, String lastText) throws IOException {
        long[] count = {0};
        String closing = lastText;
        lock.lock();
        if (this.closing != null) {
            Reply closed = this.closing;
            lock.unlock();
            throw new Closed(closed);
        }
        try {
            BufferedOutputStream buffered = new BufferedOutputStream(out, 16 * 1024); // not closed: out stays open
            buffered.write(Reply.firstLine(code, first).getBytes(StandardCharsets.UTF_8));
            try {
                middle.each(line -> {
                    buffered.write(Reply.middleLine(line).getBytes(StandardCharsets.UTF_8));
                    count[0]++;
                });
            } catch (RuntimeException e) {
                closing = lastText + " (incomplete: the storage failed)";
                throw e;
            } finally {
                buffered.write(Reply.lastLine(code, closing).getBytes(StandardCharsets.UTF_8));
                buffered.flush();
            }
        } finally {
            lock.unlock();
            Reply summary = Reply.multi(code, first, List.of("(" + count[0] + " lines)"), closing);
            last = summary;
            observer.accept(summary);
        }
    }

    /**
     * From now on replies go to {@code out} (AUTH TLS, implicit FTPS, CCC). Taken under the reply
     * lock, so no reply is split between the two streams.
     */
    public void switchTo(OutputStream out, DataReplies dataReplies) {
        lock.lock();
        try {
            this.out = out;
            this.dataReplies = dataReplies;
        } finally {
            lock.unlock();
        }
    }

    /** The last reply sent, for logs and tests. */
    public Reply last() {
        return last;
    }
}
