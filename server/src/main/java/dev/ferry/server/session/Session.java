package dev.ferry.server.session;

import dev.ferry.server.access.Policy;
import dev.ferry.server.access.Right;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.listing.MlsxFormat;
import dev.ferry.server.net.DataConnector;
import dev.ferry.server.protocol.Reply;
import dev.ferry.server.protocol.ReplyWriter;
import dev.ferry.server.transfer.Transfer;
import dev.ferry.server.transfer.TransferJob;
import dev.ferry.storage.Capability;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The state of one control connection. Confined to its control thread: transfers get what they
 * need as an immutable job, so nothing here is shared except the reply writer and the transfer.
 */
public final class Session {

    private final long id;
    private final Socket control;
    private final ReplyWriter replies;
    private final ServerContext server;
    private ServerConfig config;

    private LoginState login = LoginState.NONE;
    /** The user's root inside the storage; a user can never leave it (chroot). */
    private StoragePath root = StoragePath.ROOT;
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
    private boolean quitting;
    /** Read by the server's stop from another thread. */
    private volatile Transfer transfer;
    private int transferCount;

    public Session(long id, Socket control, ReplyWriter replies, ServerContext server) {
        this.id = id;
        this.control = control;
        this.replies = replies;
        this.server = server;
        this.config = server.config();
    }

    public long id() {
        return id;
    }

    public ServerContext server() {
        return server;
    }

    public ServerConfig config() {
        return config;
    }

    public Storage storage() {
        return server.storage();
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
        login(LoginState.NONE, StoragePath.ROOT, StoragePath.ROOT, Policy.NONE);
    }

    /**
     * Logs in: the session sees {@code root} as {@code /} (its jail) and starts in {@code cwd}
     * (relative to root; the home for a user outside the jail), with the rights of {@code policy}.
     */
    public void login(LoginState state, StoragePath root, StoragePath cwd, Policy policy) {
        this.login = state;
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
        config = server.config();
    }

    /** Whether the session may write anywhere at all (write_enable and its anonymous switches). */
    public boolean writable() {
        return policy.writable();
    }

    /** Whether the policy allows {@code right} on {@code visible} (a path as the client sees it). */
    public boolean allows(Right right, StoragePath visible) {
        return !policy.denied(visible) && policy.allows(right, storagePath(visible));
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

    /** A path the client sees to the path inside the storage. */
    public StoragePath storagePath(StoragePath virtual) {
        return virtual.under(root);
    }

    /** Client text straight to the storage path. */
    public StoragePath resolve(String text) {
        return storagePath(virtualPath(text));
    }

    /** The storage path back to what the client sees. */
    public StoragePath visible(StoragePath storagePath) {
        return storagePath.relativeTo(root);
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

    /** The MLST/MLSD facts this session chose with OPTS MLST (RFC 3659 section 7.9). */
    public MlsxFormat mlsx() {
        return mlsx;
    }

    public void mlsx(MlsxFormat format) {
        this.mlsx = format;
    }

    // ---- connection

    public InetSocketAddress remote() {
        return (InetSocketAddress) control.getRemoteSocketAddress();
    }

    public InetSocketAddress local() {
        return (InetSocketAddress) control.getLocalSocketAddress();
    }

    public boolean quitting() {
        return quitting;
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
        DataEndpoint endpoint = dataEndpoint;
        dataEndpoint = null;
        if (endpoint == null) {
            job.release();
            reply(425, "Use PORT or PASV first.");
            return;
        }
        DataConnector connector = new DataConnector(remote().getAddress(), local().getAddress(),
                server.pasvPromiscuous(), server.connectTimeoutMillis());
        transfer = Transfer.start(job, description, endpoint, connector, replies, server.watchdog(),
                "ferry-transfer-" + id + "-" + (++transferCount));
    }

    /** The transfer still running, if any. */
    public Optional<Transfer> transfer() {
        return Optional.ofNullable(transfer).filter(Transfer::running);
    }

    /** Waits for a running transfer: commands other than ABOR, STAT and QUIT run after it. */
    public void awaitTransfer() {
        transfer().ifPresent(Transfer::join);
        transfer = null;
    }

    /** Ends whatever runs: aborts a transfer, releases the data endpoint. */
    public void release() {
        transfer().ifPresent(Transfer::abort);
        closeDataEndpoint();
    }
}
