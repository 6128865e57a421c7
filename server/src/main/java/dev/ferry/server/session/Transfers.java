package dev.ferry.server.session;

import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.log.TransferRecord;
import dev.ferry.server.metrics.Metrics;
import dev.ferry.server.net.DataConnector;
import dev.ferry.server.net.DataEndpoint;
import dev.ferry.server.protocol.ReplyWriter;
import dev.ferry.server.transfer.RateLimiter;
import dev.ferry.server.transfer.Transfer;
import dev.ferry.server.transfer.TransferJob;
import dev.ferry.server.transfer.TransferSlots;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What launches a session's transfers: takes the data endpoint PASV/EPSV/PORT/EPRT set, a transfer
 * slot (max_transfers), builds the data connector and the rate limits, and starts the transfer on
 * its own thread (a small one may run on the control thread: Transfer.start); and keeps the
 * transfer so the control thread can wait for it, STAT it or ABOR it.
 * Confined to the session's control thread, except {@link #transfer}, which the server's stop reads.
 */
public final class Transfers {

    /** Session's logger: these lines read as the session's in the log, as they did before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final Session session;
    private final long id;
    private final ServerContext server;
    private final ReplyWriter replies;
    /** Read by the server's stop from another thread. */
    private volatile Transfer transfer;
    private int transferCount;

    Transfers(Session session) {
        this.session = session;
        this.id = session.id();
        this.server = session.server();
        this.replies = session.replies();
    }

    /**
     * Starts {@code job} over the data endpoint set by PASV/EPSV/PORT/EPRT, which it consumes;
     * replies 425 when there is none.
     */
    public void startTransfer(TransferJob job, String description) throws IOException {
        startTransfer(job, description, Optional.empty());
    }

    /**
     * Starts a file transfer, which the transfer logs record: {@code upload} for STOR, APPE and
     * STOU, else RETR; {@code visible} is the file as the client sees it.
     */
    public void startFileTransfer(TransferJob job, String description, boolean upload, StoragePath visible)
            throws IOException {
        startTransfer(job, description, Optional.of(transferRecord(upload, visible)));
    }

    /**
     * A file transfer the storage failed before any byte moved (the file could not be opened: an
     * outage, a refused channel): logged with the storage's reason, counted as a failed transfer
     * and written to the transfer logs as incomplete, like one that broke on the way.
     */
    public void storageRefusedTransfer(boolean upload, StoragePath visible, StorageException failure) {
        LOG.warn("{} {}: the storage failed: {}", upload ? "upload" : "download", visible, failure.getMessage());
        server.metrics().transfer(upload ? Metrics.Direction.UPLOAD : Metrics.Direction.DOWNLOAD, false, 0, 0);
        server.log().transfer(transferRecord(upload, visible), 0, false, 0);
    }

    /** What the transfer logs say about a file transfer of this session, starting now. */
    private TransferRecord transferRecord(boolean upload, StoragePath visible) {
        LoginState login = session.login();
        // vsftpd's xferlog (logging.c): a guest is 'g' with its virtual name, whatever its rights
        char access = switch (login) {
            case LoginState.Anonymous anonymous -> 'a';
            case LoginState.Guest guest -> 'g';
            default -> 'r';
        };
        String identity = login instanceof LoginState.Anonymous anonymous ? anonymous.password() : login.userName();
        return new TransferRecord(upload, visible.toString(), session.type() == TransferType.ASCII, access, identity,
                session.logName(), session.remote().getAddress().getHostAddress(), id, System.currentTimeMillis());
    }

    private void startTransfer(TransferJob job, String description, Optional<TransferRecord> record)
            throws IOException {
        DataEndpoint endpoint = session.takeDataEndpoint();
        if (endpoint == null) {
            job.release();
            session.reply(425, "Use PORT or PASV first.");
            return;
        }
        TransferSlots slots = server.transferSlots();
        if (!slots.tryAcquire()) {
            endpoint.close();
            job.release();
            LOG.info("{} refused: max_transfers reached", description);
            session.reply(425, TransferSlots.BUSY);
            return;
        }
        DataConnector connector = new DataConnector(session.remote().getAddress(), session.local().getAddress(), server.dataSettings(),
                server.proxyProtocol());
        // one bucket per transfer: a session runs one transfer at a time, so it is the session's limit
        RateLimiter own = ownLimit();
        Optional<dev.ferry.server.tls.SessionTls> protection = session.dataProtected() ? session.sessionTls() : Optional.empty();
        Transfer.Setup setup = new Transfer.Setup(endpoint, connector, protection, replies, server.watchdog(),
                RateLimiter.all(own, server.uploadLimit()), RateLimiter.all(own, server.downloadLimit()), server.log(),
                record, slots::release);
        Transfer.start(job, description, setup, "ferry-transfer-" + id + "-" + (++transferCount),
                started -> transfer = started);
    }

    private RateLimiter ownLimit() {
        return RateLimiter.of(sessionRate(), server.metrics().rateLimitWaits(Metrics.Limit.SESSION));
    }

    /**
     * The limits a read of file content on the control thread obeys (HASH reads a whole file): the
     * session's download rate and the server's, as for RETR.
     */
    public RateLimiter readLimit() {
        return RateLimiter.all(ownLimit(), server.downloadLimit());
    }

    /**
     * anon_max_rate or local_max_rate, read from {@link Session#config()} at each transfer so a per-user
     * configuration applies; 0 is unlimited.
     */
    private long sessionRate() {
        return switch (session.login()) {
            case LoginState.NotLoggedIn none -> 0;
            case LoginState.AwaitingPassword awaiting -> 0;
            case LoginState login when login.anonymousRights() -> session.config().get(CoreDirectives.ANON_MAX_RATE);
            default -> session.config().get(CoreDirectives.LOCAL_MAX_RATE);
        };
    }

    /** The transfer still running, if any. */
    public Optional<Transfer> transfer() {
        return Optional.ofNullable(transfer).filter(Transfer::running);
    }

    /**
     * The transfer the last transfer command started, running or over, until the next command
     * waits for it: right after a RETR, STOR, LIST... this is that command's transfer, if it got one.
     */
    public Optional<Transfer> startedTransfer() {
        return Optional.ofNullable(transfer);
    }

    /** A transfer that has sent its final reply but whose thread may still be writing or tidying up. */
    public Optional<Transfer> finishedTransfer() {
        return startedTransfer().filter(t -> !t.running());
    }

    /** Waits for a running transfer: commands other than ABOR, STAT and QUIT run after it. */
    public void awaitTransfer() {
        // join even once it has replied: its thread may still be releasing the file
        if (transfer != null) {
            transfer.join();
        }
        transfer = null;
    }
}
