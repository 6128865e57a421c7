package dev.ferry.server.session;

import dev.ferry.server.access.Policy;
import dev.ferry.server.access.Right;
import dev.ferry.server.command.HashCommands;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.listing.MlsxFormat;
import dev.ferry.server.log.TransferRecord;
import dev.ferry.server.metrics.Metrics;
import dev.ferry.server.net.Admission;
import dev.ferry.server.net.DataConnector;
import dev.ferry.server.protocol.Reply;
import dev.ferry.server.protocol.ReplyWriter;
import dev.ferry.server.transfer.RateLimiter;
import dev.ferry.server.transfer.Transfer;
import dev.ferry.server.transfer.TransferJob;
import dev.ferry.server.transfer.TransferSlots;
import dev.ferry.storage.Capability;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one control connection. Confined to its control thread: transfers get what they
 * need as an immutable job, so nothing here is shared except the reply writer and the transfer.
 */
public final class Session {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final long id;
    private final Socket control;
    /** The client's address: the control socket's peer, or what a trusted PROXY protocol header named. */
    private final InetSocketAddress client;
    private final ControlLink link;
    private final ReplyWriter replies;
    private final ServerContext server;
    private final Supplier<ServerContext> latest;
    private ServerConfig config;

    private LoginState login = LoginState.NONE;
    /** The user's root inside the storage; a user can never leave it (chroot). */
    private StoragePath root = StoragePath.ROOT;
    /**
     * The storage as this session sees it: a view scoped to {@link #root}, which the backend
     * confines (links included); null before login, when no command may touch files.
     */
    private Storage view;
    /** The working directory as the client sees it (relative to root). */
    private StoragePath cwd = StoragePath.ROOT;
    private Policy policy = Policy.NONE;
    private int loginFails;
    /** Directories whose message_file this session has shown; vsftpd shows each one once. */
    private final Set<StoragePath> visited = new HashSet<>();
    private TransferType type = TransferType.ASCII;
    private DataEndpoint dataEndpoint;
    private long restartOffset;
    private StoragePath renameFrom;
    private boolean epsvAll;
    private MlsxFormat mlsx = MlsxFormat.all();
    private String hashAlgorithm = HashCommands.DEFAULT_ALGORITHM;
    private boolean quitting;
    /** PROT P: data connections use TLS (RFC 4217 section 9). */
    private boolean dataProtected;
    /** Read by the server's stop from another thread. */
    private volatile Transfer transfer;
    private int transferCount;
    /** This session's place under max_sessions_per_user while logged in as a local user. */
    private Admission.Permit userPermit;

    public Session(long id, Socket control, InetSocketAddress client, ControlLink link, ReplyWriter replies,
                   ServerContext server, Supplier<ServerContext> latest) {
        this.id = id;
        this.latest = latest;
        this.control = control;
        this.client = client;
        this.link = link;
        this.replies = replies;
        this.server = server;
        this.config = server.config();
    }

    public long id() {
        return id;
    }

    /**
     * What this connection started with: its logs, limits, passive ports and TLS identity stay
     * those of the configuration it connected under, across reloads.
     */
    public ServerContext server() {
        return server;
    }

    /**
     * The configuration in force now: a login decides with its users, access files, anon_root and
     * settings, so a reload that removes a password or a right applies to the next login on every
     * connection, however old.
     */
    public ServerContext latest() {
        return latest.get();
    }

    public ServerConfig config() {
        return config;
    }

    /** The session's view of the storage, whose {@code /} is the user's root (the jail). */
    public Storage storage() {
        if (view == null) {
            throw new IllegalStateException("no storage before login");
        }
        return view;
    }

    public Set<Capability> capabilities() {
        return server.storage().capabilities();
    }

    // ---- replies

    public void reply(int code, String text) throws IOException {
        replies.send(code, text);
    }

    public void reply(Reply reply) throws IOException {
        replies.send(reply);
    }

    public ReplyWriter replies() {
        return replies;
    }

    // ---- login

    public LoginState login() {
        return login;
    }

    /** Logs out: nothing is allowed until the next login. */
    public void logout() {
        enter(LoginState.NONE, null, StoragePath.ROOT, StoragePath.ROOT, Policy.NONE);
    }

    /**
     * Logs in: the session sees {@code root} as {@code /} (its jail, a view of the storage scoped
     * to it) and starts in {@code cwd} (relative to root; the home for a user outside the jail),
     * with the rights of {@code policy}.
     */
    public void login(LoginState state, StoragePath root, StoragePath cwd, Policy policy) throws StorageException {
        enter(state, server.storage().scoped(root), root, cwd, policy);
    }

    private void enter(LoginState state, Storage view, StoragePath root, StoragePath cwd, Policy policy) {
        logLogin(this.login, state);
        if (!(state instanceof LoginState.Local)) {
            releaseUser();
        }
        this.login = state;
        link.tls().ifPresent(tls -> tlsLogin(tls, state));
        this.view = view;
        this.root = root;
        this.cwd = cwd;
        this.policy = policy;
        this.visited.clear();
    }

    /** The session's own settings from now on: the main configuration with the user's file applied. */
    public void config(ServerConfig config) {
        this.config = config;
    }

    public Policy policy() {
        return policy;
    }

    /** Counts a failed login and returns how many this connection has had (vsftpd's max_login_fails). */
    public int failedLogin() {
        return ++loginFails;
    }

    /** Whether the message of {@code directory} is due: true the first time only. */
    public boolean firstVisit(StoragePath directory) {
        return visited.size() < 10_000 && visited.add(directory);
    }

    /**
     * max_sessions_per_user: takes one of {@code user}'s sessions before a login as them; false
     * when they already have as many as allowed. A later logout or the end of the session gives
     * it back.
     */
    public boolean claimUser(String user) {
        releaseUser();
        try {
            userPermit = server.admission().login(user);
            return true;
        } catch (Admission.Refused refused) {
            LOG.info("login of '{}' refused: {}", user, refused.getMessage());
            return false;
        }
    }

    private void releaseUser() {
        if (userPermit != null) {
            userPermit.close();
            userPermit = null;
        }
    }

    /** vsftpd's LOGIN entries: OK on a login, FAIL when a password was refused. */
    private void logLogin(LoginState before, LoginState after) {
        String client = remote().getAddress().getHostAddress();
        switch (after) {
            case LoginState.Guest guest -> server.log().login(id, "ftp", client, true, guest.password());
            case LoginState.Local local -> server.log().login(id, local.user().name(), client, true, "");
            case LoginState.NotLoggedIn none when before instanceof LoginState.AwaitingPassword awaiting ->
                    server.log().login(id, awaiting.name(), client, false, "");
            default -> {
            }
        }
    }

    /** The user name vsftpd's log format shows: the name given, "ftp" for anonymous logins. */
    public String logName() {
        return switch (login) {
            case LoginState.NotLoggedIn none -> "";
            case LoginState.AwaitingPassword awaiting -> awaiting.name();
            case LoginState.Guest guest -> "ftp";
            case LoginState.Local local -> local.user().name();
        };
    }

    public void awaitPassword(LoginState.AwaitingPassword state) {
        this.login = state;
    }

    /** REIN (RFC 959 section 4.1.1): back to the state of a new connection. */
    public void reinitialize() {
        closeDataEndpoint();
        logout();
        type = TransferType.ASCII;
        restartOffset = 0;
        renameFrom = null;
        epsvAll = false;
        mlsx = MlsxFormat.all();
        hashAlgorithm = HashCommands.DEFAULT_ALGORITHM;
        config = server.config();
        dataProtected = false; // RFC 4217 section 11: REIN returns to the default protection, Clear
    }

    /** Whether the session may write anywhere at all (write_enable and its anonymous switches). */
    public boolean writable() {
        return policy.writable();
    }

    /**
     * Whether the policy allows {@code right} on {@code visible} (a path as the client sees it): on
     * the path as typed and, where a link may lead elsewhere, on where it really lives, so that a
     * link cannot lead round an access rule or a deny_file name.
     */
    public boolean allows(Right right, StoragePath visible) {
        return seenAs(visible).stream().allMatch(path -> !policy.denied(path) && policy.allows(right, storagePath(path)));
    }

    /** Whether deny_file leaves {@code visible} in reach, typed and where it really lives. */
    public boolean reachable(StoragePath visible) {
        return seenAs(visible).stream().noneMatch(policy::denied);
    }

    /** The rights the policy leaves at {@code visible}: those at the typed path and at where it really lives. */
    public Set<Right> rights(StoragePath visible) {
        Set<Right> rights = EnumSet.allOf(Right.class);
        for (StoragePath path : seenAs(visible)) {
            rights.retainAll(policy.rights(storagePath(path)));
        }
        return rights;
    }

    /**
     * {@code visible}, and where it really lives inside the jail when a link leads elsewhere and the
     * policy has anything path-specific to check. A path the storage cannot resolve (a missing
     * parent, a link out of the jail) is checked as typed: the operation itself fails in the storage.
     */
    private List<StoragePath> seenAs(StoragePath visible) {
        if (!policy.pathSpecific() || view == null) {
            return List.of(visible);
        }
        try {
            StoragePath real = view.canonical(visible);
            return real.equals(visible) ? List.of(visible) : List.of(visible, real);
        } catch (StorageException e) {
            return List.of(visible);
        }
    }

    // ---- paths

    public StoragePath cwd() {
        return cwd;
    }

    public void cwd(StoragePath directory) {
        this.cwd = directory;
    }

    /** Client text to the path the client sees ({@code /} is the user's root). */
    public StoragePath virtualPath(String text) {
        return cwd.resolve(text);
    }

    /**
     * A path the client sees to the path in the whole storage, where access rules (written for
     * the whole storage) are matched. Storage operations take the visible path: the session's
     * {@link #storage()} view is rooted at the jail.
     */
    public StoragePath storagePath(StoragePath virtual) {
        return virtual.under(root);
    }

    // ---- transfer parameters

    public TransferType type() {
        return type;
    }

    public void type(TransferType type) {
        this.type = type;
    }

    public void dataEndpoint(DataEndpoint endpoint) {
        closeDataEndpoint();
        this.dataEndpoint = endpoint;
    }

    public Optional<DataEndpoint> dataEndpoint() {
        return Optional.ofNullable(dataEndpoint);
    }

    public void closeDataEndpoint() {
        if (dataEndpoint != null) {
            dataEndpoint.close();
            dataEndpoint = null;
        }
    }

    public long restartOffset() {
        return restartOffset;
    }

    public void restartOffset(long offset) {
        this.restartOffset = offset;
    }

    public Optional<StoragePath> renameFrom() {
        return Optional.ofNullable(renameFrom);
    }

    public void renameFrom(StoragePath from) {
        this.renameFrom = from;
    }

    public boolean epsvAll() {
        return epsvAll;
    }

    public void epsvAll(boolean on) {
        this.epsvAll = on;
    }

    /** The algorithm HASH uses, chosen with OPTS HASH (draft-bryan-ftpext-hash section 3.5). */
    public String hashAlgorithm() {
        return hashAlgorithm;
    }

    public void hashAlgorithm(String algorithm) {
        this.hashAlgorithm = algorithm;
    }

    /** The MLST/MLSD facts this session chose with OPTS MLST (RFC 3659 section 7.9). */
    public MlsxFormat mlsx() {
        return mlsx;
    }

    public void mlsx(MlsxFormat format) {
        this.mlsx = format;
    }

    // ---- connection

    /** The client's address (behind a load balancer, the one its PROXY protocol header named). */
    public InetSocketAddress remote() {
        return client;
    }

    public InetSocketAddress local() {
        return (InetSocketAddress) control.getLocalSocketAddress();
    }

    public boolean quitting() {
        return quitting;
    }

    // ---- FTPS (RFC 4217)

    /**
     * AUTH TLS, after its 234: the control connection's TLS handshake with a TLS context of this
     * session's own. RFC 2228 section 3: a new AUTH drops any earlier protection state.
     */
    public void startTls() throws IOException {
        dataProtected = false;
        link.startTls(server.tls().orElseThrow().newSession(client.getAddress()));
        link.tls().ifPresent(tls -> tlsLogin(tls, login));
        LOG.info("control connection now {}", link.tls().map(tls -> tls.protocol() + " " + tls.cipherSuite()).orElse(""));
    }

    /** Tells the TLS state who logged in: data connections of this user's other connections may resume it. */
    private static void tlsLogin(dev.ferry.server.tls.SessionTls tls, LoginState state) {
        if (state.loggedIn()) {
            tls.loggedIn((state instanceof LoginState.Guest ? "guest:" : "local:") + state.userName());
        }
    }

    /** CCC, after its 200: the control connection goes back to plain text. */
    public void endTls() throws IOException {
        link.endTls();
        LOG.info("control connection back to plain text (CCC)");
    }

    /** Whether TLS was negotiated on the control connection (it may have been cleared with CCC since). */
    public boolean tlsNegotiated() {
        return link.tls().isPresent();
    }

    /** Whether commands and replies go through TLS now. */
    public boolean controlEncrypted() {
        return link.encrypted();
    }

    public Optional<dev.ferry.server.tls.SessionTls> sessionTls() {
        return link.tls();
    }

    public boolean dataProtected() {
        return dataProtected;
    }

    public void dataProtected(boolean on) {
        this.dataProtected = on && tlsNegotiated();
    }

    public void quit() {
        this.quitting = true;
    }

    // ---- transfers

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
        boolean anonymous = login instanceof LoginState.Guest;
        String identity = login instanceof LoginState.Guest guest ? guest.password() : login.userName();
        return new TransferRecord(upload, visible.toString(), type == TransferType.ASCII, anonymous, identity,
                logName(), remote().getAddress().getHostAddress(), id, System.currentTimeMillis());
    }

    private void startTransfer(TransferJob job, String description, Optional<TransferRecord> record)
            throws IOException {
        DataEndpoint endpoint = dataEndpoint;
        dataEndpoint = null;
        if (endpoint == null) {
            job.release();
            reply(425, "Use PORT or PASV first.");
            return;
        }
        TransferSlots slots = server.transferSlots();
        if (!slots.tryAcquire()) {
            endpoint.close();
            job.release();
            LOG.info("{} refused: max_transfers reached", description);
            reply(425, TransferSlots.BUSY);
            return;
        }
        DataConnector connector = new DataConnector(remote().getAddress(), local().getAddress(), server.dataSettings(),
                server.proxyProtocol());
        // one bucket per transfer: a session runs one transfer at a time, so it is the session's limit
        RateLimiter own = ownLimit();
        Optional<dev.ferry.server.tls.SessionTls> protection = dataProtected ? link.tls() : Optional.empty();
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
     * anon_max_rate or local_max_rate, read from {@link #config()} at each transfer so a per-user
     * configuration applies; 0 is unlimited.
     */
    private long sessionRate() {
        return switch (login) {
            case LoginState.Guest guest -> config.get(CoreDirectives.ANON_MAX_RATE);
            case LoginState.Local local -> config.get(CoreDirectives.LOCAL_MAX_RATE);
            default -> 0;
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

    /** Ends whatever runs: aborts a transfer, releases the data endpoint and the user's session slot. */
    public void release() {
        transfer().ifPresent(Transfer::abort);
        closeDataEndpoint();
        releaseUser();
    }
}
