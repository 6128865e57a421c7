package dev.ferry.server.transfer;

import dev.ferry.server.log.ActivityLog;
import dev.ferry.server.log.TransferRecord;
import dev.ferry.server.net.DataConnector;
import dev.ferry.server.protocol.Reply;
import dev.ferry.server.protocol.ReplyWriter;
import dev.ferry.server.protocol.StorageReplies;
import dev.ferry.server.net.DataEndpoint;
import dev.ferry.server.tls.SessionTls;
import dev.ferry.storage.StorageException;
import java.io.IOException;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One transfer running on its own virtual thread, so the control thread keeps reading and ABOR,
 * STAT and QUIT work meanwhile (RFC 959 section 4.1.3). Replies 150, then 226 / 425 / 426 / 451.
 */
public final class Transfer {

    private static final Logger LOG = LoggerFactory.getLogger(Transfer.class);

    /** Why a transfer was cut short from outside. */
    enum StopReason { ABORTED, STALLED }

    /**
     * What a transfer needs besides its job.
     *
     * @param protection PROT P: the session's TLS state, whose handshake the data connection must pass
     * @param upload   the limits on client-to-server bytes
     * @param download the limits on server-to-client bytes
     * @param record   what the transfer logs say about a file transfer; empty for listings
     * @param onEnd    run once the transfer has replied (gives back its max_transfers slot)
     */
    public record Setup(DataEndpoint endpoint, DataConnector connector, Optional<SessionTls> protection,
                        ReplyWriter replies, StallWatchdog watchdog,
                        RateLimiter upload, RateLimiter download, ActivityLog log, Optional<TransferRecord> record,
                        Runnable onEnd) {
    }

    private final TransferJob job;
    private final String description;
    private final DataEndpoint endpoint;
    private final DataConnector connector;
    private final ReplyWriter replies;
    private final StallWatchdog watchdog;
    private final Setup setup;
    private final Progress progress = new Progress();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean replied;
    private volatile boolean exited;
    private final AtomicReference<Socket> socket = new AtomicReference<>();
    /** The plain data connection's sender, set before {@link #socket}: {@link #stop} closes through it. */
    private volatile FileSender files;
    private volatile StopReason stopReason;
    private volatile Reply outcome;
    private volatile long nanos;
    private final CompletableFuture<Transfer> finished = new CompletableFuture<>();
    private Thread thread;

    private Transfer(TransferJob job, String description, Setup setup) {
        this.job = job;
        this.description = description;
        this.endpoint = setup.endpoint();
        this.connector = setup.connector();
        this.replies = setup.replies();
        this.watchdog = setup.watchdog();
        this.setup = setup;
    }

    /** How a transfer gets its data connection. */
    @FunctionalInterface
    private interface Opening {
        SocketChannel open() throws DataConnector.DataConnectionFailed;
    }

    /**
     * Starts {@code job} on a new virtual thread named after the session. {@code publish} gets the
     * transfer before its thread starts, so the session knows it before the client can read the 150.
     *
     * <p>A {@link TransferJob#small small} job on a plain data connection without a download limit
     * whose client has connected already runs here, on the control thread, and is over when this
     * returns: it never waits (no accept, no TLS handshake, no rate limit; its bytes fit the
     * socket's send buffer), so there is no moment in which an ABOR or STAT could find it running,
     * and the hand-offs to and from a thread of its own were most of the cost of a small RETR. An
     * ABOR the client sends meanwhile is read after the 226 and answered 225, as for any transfer
     * over already (RFC 959 section 4.1.3). Should the client stop reading anyway, the stall
     * watchdog cuts it after data_connection_timeout as on the transfer thread.
     */
    public static Transfer start(TransferJob job, String description, Setup setup, String threadName,
                                 Consumer<Transfer> publish) {
        Transfer transfer = new Transfer(job, description, setup);
        if (transfer.mayRunHere()) {
            SocketChannel waiting;
            DataConnector.DataConnectionFailed failed = null;
            try {
                waiting = setup.connector().connectWaiting(setup.endpoint()).orElse(null);
            } catch (DataConnector.DataConnectionFailed e) {
                waiting = null;
                failed = e;
            }
            if (waiting != null || failed != null) {
                SocketChannel connected = waiting;
                DataConnector.DataConnectionFailed refused = failed;
                publish.accept(transfer);
                try {
                    transfer.run(() -> {
                        if (refused != null) {
                            throw refused;
                        }
                        return connected;
                    });
                } finally {
                    transfer.exited = true;
                }
                return transfer;
            }
        }
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        transfer.thread = Thread.ofVirtual().name(threadName).unstarted(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try {
                transfer.run(() -> transfer.connector.connect(transfer.endpoint));
            } finally {
                transfer.exited = true;
            }
        });
        publish.accept(transfer);
        transfer.thread.start();
        return transfer;
    }

    /** Whether nothing in this transfer can wait once its client has connected (see {@link #start}). */
    private boolean mayRunHere() {
        return job.small() && setup.protection().isEmpty() && setup.download() == RateLimiter.UNLIMITED;
    }

    private void run(Opening opening) {
        long started = System.nanoTime();
        try {
            SocketChannel channel = opening.open();
            files = new FileSender(channel, progress);
            Socket data = channel.socket();
            socket.set(data);
            if (stopReason != null) {
                data.close();
            }
            watchdog.watch(this);
            boolean clean = false;
            try {
                // 150 before the data handshake: Python's ftplib and Commons Net read it before they
                // start TLS on the data connection (RFC 4217 section 7 leaves the order open)
                send(Reply.of(150, job.opening()));
                Optional<FileSender> plain = Optional.of(files);
                Optional<UploadReceiver> receiver = Optional.of(new UploadReceiver(channel, progress));
                if (setup.protection().isPresent()) {
                    data = connector.protect(data, endpoint, setup.protection().get());
                    socket.set(data);
                    plain = Optional.empty();
                    receiver = Optional.empty();
                }
                job.run(DataStreams.metered(data.getInputStream(), data.getOutputStream(), progress,
                        setup.upload(), setup.download(), plain, receiver));
            } finally {
                watchdog.forget(this);
                clean = closeData(socket.get());
            }
            if (stopReason != null) {
                throw new IOException("transfer stopped: " + stopReason);
            }
            // strict_ssl_write_shutdown: vsftpd's reply when the client did not answer close_notify
            send(clean ? job.complete() : Reply.of(426, "Failure writing network stream."));
        } catch (DataConnector.DataConnectionFailed e) {
            send(stopReason == StopReason.ABORTED
                    ? Reply.of(426, "Connection closed; transfer aborted.")
                    : Reply.of(e.code(), e.getMessage()));
        } catch (Copier.StorageSideFailure e) {
            LOG.warn("{}: storage failed: {}", description, e.getMessage());
            send(job.storageFailure());
        } catch (IOException e) {
            LOG.info("{}: data connection failed after {} bytes: {}", description, progress.bytes(), e.toString());
            send(switch (stopReason) {
                case ABORTED -> Reply.of(426, "Connection closed; transfer aborted.");
                case STALLED -> Reply.of(426, "Data connection timed out; transfer aborted.");
                case null -> Reply.of(426, "Connection closed; transfer aborted.");
            });
        } catch (StorageException e) {
            LOG.warn("{}: {}", description, e.getMessage());
            send(StorageReplies.reply(e, "Transfer failed"));
        } catch (RuntimeException e) {
            LOG.error("{}: unexpected failure", description, e);
            send(Reply.of(451, "Requested action aborted: local error in processing."));
        } finally {
            job.release();
            long nanos = System.nanoTime() - started;
            // one line per transfer, the outcome as the client saw it: greppable by session id
            LOG.info("{}: {} bytes in {} ms: {}", description, progress.bytes(), nanos / 1_000_000, outcome);
            boolean complete = outcome != null && outcome.isPositive();
            setup.record().ifPresent(record -> setup.log().transfer(record, progress.bytes(), complete, nanos / 1e9));
            end();
            this.nanos = nanos;
            finished.complete(this);
        }
    }

    /**
     * TLS: close_notify before the close, so the client sees a clean end of the data (and, in TLS
     * 1.3, no user_canceled alert, which GnuTLS and Go clients treat as an error; notes section 1).
     * False when strict_ssl_write_shutdown wanted the client's close_notify and it did not come.
     */
    private boolean closeData(Socket data) {
        try {
            if (setup.protection().isPresent()) {
                return setup.protection().get().finishData(data);
            }
            SessionTls.close(data);
        } catch (IOException e) {
            LOG.debug("{}: closing the data connection: {}", description, e.toString());
        }
        return true;
    }

    /** Gives back what the transfer holds; before its final reply, so the client's next transfer finds it free. */
    private void end() {
        if (ended.compareAndSet(false, true)) {
            setup.onEnd().run();
        }
    }

    private void send(Reply reply) {
        outcome = reply;
        if (reply.code() != 150) {
            // set before the client can read the final reply: a STAT sent after it sees no transfer
            replied = true;
            end();
        }
        try {
            replies.send(reply);
        } catch (ReplyWriter.Closed closed) {
            // a stop (or a deadline) closed the connection with a 421 first: that is what the
            // client read last, so that is what the logs and metrics record for this transfer
            outcome = closed.reply();
            LOG.debug("connection closed with {} before {}", closed.reply().code(), reply.code());
        } catch (IOException e) {
            LOG.debug("control connection gone before {}", reply.code());
        }
    }

    /** Cuts the transfer short: closes the data connection (or the passive listener still waiting). */
    void stop(StopReason reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        endpoint.close();
        Socket data = socket.get();
        if (data != null) {
            FileSender sender = files;
            try {
                if (sender != null && sender.carries(data)) {
                    sender.close(); // waits for a sendfile call in progress (FileSender)
                } else {
                    data.close(); // TLS: the SSLSocket over the channel
                }
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
    }

    /** ABOR: stop the transfer and wait for its 426. */
    public void abort() {
        stop(StopReason.ABORTED);
        join();
    }

    /** Waits for the transfer thread to finish and reply. */
    public void join() {
        if (thread == null) {
            // it ran on the control thread (start): over for that thread, and others wait for its end
            finished.join();
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Until the final reply is on its way; the thread may still be tidying up after it (see {@link #join}). */
    public boolean running() {
        return !replied && !exited;
    }

    public Progress progress() {
        return progress;
    }

    public String description() {
        return description;
    }

    /**
     * Runs {@code action} once the transfer has sent its final reply and written its logs: on the
     * transfer's thread, or at once on the caller's when it is over already. For the accounting of
     * the command that started it (metrics, JSON log), which ends with that reply.
     */
    public void whenFinished(Consumer<Transfer> action) {
        finished.thenAccept(action).exceptionally(failure -> {
            LOG.error("{}: accounting failed", description, failure);
            return null;
        });
    }

    /** From the start of the transfer's thread to its final reply, once it has finished. */
    public long nanos() {
        return nanos;
    }

    /** The last reply the transfer sent, once it has finished. */
    public Reply outcome() {
        return outcome;
    }
}
