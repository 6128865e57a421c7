package dev.ferry.server.session;

import dev.ferry.server.access.Policy;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.listing.MlsxFormat;
import dev.ferry.server.net.Admission;
import dev.ferry.server.net.DataEndpoint;
import dev.ferry.server.protocol.Reply;
import dev.ferry.server.protocol.ReplyWriter;
import dev.ferry.server.transfer.Transfer;
import dev.ferry.storage.Capability;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one control connection: login, transfer parameters, FTPS state. The user's view of
 * the storage is a {@link UserView} ({@link #user()}), what launches transfers is {@link Transfers}
 * ({@link #transfers()}). Confined to its control thread: transfers get what they need as an
 * immutable job, so nothing here is shared except the reply writer and the transfer.
 */
public final class Session {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    /** HASH's algorithm until OPTS HASH: the draft recommends SHA-256 where the server has no reason to pick another. */
    public static final String DEFAULT_HASH_ALGORITHM = "SHA-256";

    private final long id;
    private final Socket control;
    /** The client's address: the control socket's peer, or what a trusted PROXY protocol header named. */
    private final InetSocketAddress client;
    /** The control connection's local address, once read ({@link #local()}). */
    private InetSocketAddress local;
    private final ControlLink link;
    private final ReplyWriter replies;
    private final ServerContext server;
    private final Supplier<ServerContext> latest;
    private ServerConfig config;

    private LoginState login = LoginState.NONE;
    /** The storage, working directory and rights of the user logged in. */
    private final UserView user = new UserView();
    private int loginFails;
    private TransferType type = TransferType.ASCII;
    private DataEndpoint dataEndpoint;
    private long restartOffset;
    private StoragePath renameFrom;
    private boolean epsvAll;
    private MlsxFormat mlsx = MlsxFormat.all();
    private String hashAlgorithm = DEFAULT_HASH_ALGORITHM;
    private boolean quitting;
    /** PROT P: data connections use TLS (RFC 4217 section 9). */
    private boolean dataProtected;
    /** Launches this session's transfers and keeps the one running. */
    private final Transfers transfers;
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
        this.transfers = new Transfers(this);
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

    /** The user's view: the storage scoped to their root, their working directory, their rights. */
    public UserView user() {
        return user;
    }

    public Transfers transfers() {
        return transfers;
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

    /** The reply that offers a data connection (227, 229, 200 to PORT/EPRT): FTPS may put a TLS ticket in it. */
    public void replyDataOffer(int code, String text) throws IOException {
        replies.sendDataOffer(Reply.of(code, text));
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
        if (!(state instanceof LoginState.Local || state instanceof LoginState.Guest)) {
            releaseUser();
        }
        this.login = state;
        link.tls().ifPresent(tls -> tlsLogin(tls, state));
        user.enter(view, root, cwd, policy);
    }

    /** The session's own settings from now on: the main configuration with the user's file applied. */
    public void config(ServerConfig config) {
        this.config = config;
    }

    /** Counts a failed login and returns how many this connection has had (vsftpd's max_login_fails). */
    public int failedLogin() {
        return ++loginFails;
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
            case LoginState.Anonymous anonymous -> server.log().login(id, "ftp", client, true, anonymous.password());
            case LoginState.Local local -> server.log().login(id, local.user().name(), client, true, "");
            // vsftpd logs a guest under the name it typed (p_sess->user_str), not guest_username
            case LoginState.Guest guest -> server.log().login(id, guest.user().name(), client, true, "");
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
            case LoginState.Anonymous anonymous -> "ftp";
            case LoginState.Local local -> local.user().name();
            case LoginState.Guest guest -> guest.user().name();
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
        hashAlgorithm = DEFAULT_HASH_ALGORITHM;
        config = server.config();
        dataProtected = false; // RFC 4217 section 11: REIN returns to the default protection, Clear
    }

    // ---- paths

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

    /** The data endpoint for a transfer, which uses it up; null when PASV/EPSV/PORT/EPRT set none. */
    DataEndpoint takeDataEndpoint() {
        DataEndpoint endpoint = dataEndpoint;
        dataEndpoint = null;
        return endpoint;
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

    /**
     * The address the client reached us on. Read once: a connected socket's local address never
     * changes, and each read was a getsockname(2) (two, through the socket's SO_BINDADDR), four
     * times per PASV and transfer.
     */
    public InetSocketAddress local() {
        if (local == null) {
            local = (InetSocketAddress) control.getLocalSocketAddress();
        }
        return local;
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

    /** Ends whatever runs: aborts a transfer, releases the data endpoint and the user's session slot. */
    public void release() {
        transfers.transfer().ifPresent(Transfer::abort);
        closeDataEndpoint();
        releaseUser();
    }
}
