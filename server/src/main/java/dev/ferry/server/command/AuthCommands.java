package dev.ferry.server.command;

import dev.ferry.server.access.AccessControl;
import dev.ferry.server.access.Identity;
import dev.ferry.server.access.NameList;
import dev.ferry.server.access.Policy;
import dev.ferry.server.access.Right;
import dev.ferry.server.auth.LoginResult;
import dev.ferry.server.auth.User;
import dev.ferry.server.config.ConfigException;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.config.Source;
import dev.ferry.server.protocol.Reply;
import dev.ferry.server.protocol.Request;
import dev.ferry.server.session.Homes;
import dev.ferry.server.session.LoginState;
import dev.ferry.server.session.Session;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * USER, PASS, ACCT, REIN, QUIT (RFC 959 section 4.1.1), with vsftpd's login rules and reply texts:
 * USER answers 331 to every name (only the user list refuses at USER, as in vsftpd), failures are
 * answered after delay_failed_login, and max_login_fails failures end the connection.
 */
public final class AuthCommands {

    /** RFC 959's 421 for a login the storage cannot serve: an outage must not read as a wrong password. */
    private static final String STORAGE_DOWN = "Service not available: the storage cannot be reached, try again later.";

    private static final Logger LOG = LoggerFactory.getLogger(AuthCommands.class);

    private AuthCommands() {
    }

    public static void user(Session session, Request request) throws IOException {
        if (session.login().loggedIn()) {
            session.reply(530, "Can't change to another user.");
            return;
        }
        if (!request.hasArgument()) {
            session.reply(501, "USER needs a user name.");
            return;
        }
        String name = request.argument();
        // a login decides under the configuration in force now, even on a connection older than a reload
        session.config(session.latest().config());
        ServerConfig config = session.config();
        boolean anonymous = isAnonymousName(name, config.get(CoreDirectives.FTP_USERNAME));
        // vsftpd refuses a whole class of logins at USER; that tells nothing about which names exist
        if (anonymous && !config.get(CoreDirectives.ANONYMOUS_ENABLE)) {
            turnAway(session, true, 530, "This FTP server does not allow anonymous logins.");
            return;
        }
        if (!anonymous && !config.get(CoreDirectives.LOCAL_ENABLE)) {
            turnAway(session, false, 530, "This FTP server is anonymous only.");
            return;
        }
        if (!tlsAllows(session, anonymous)) {
            return;
        }
        Optional<NameList> userList = access(session).userList();
        if (userList.isPresent() && userList.get().contains(name) == config.get(CoreDirectives.USERLIST_DENY)) {
            // vsftpd's userlist check happens before the password is asked for, so the password
            // of a listed account never crosses the network in clear text
            if (config.get(CoreDirectives.USERLIST_LOG)) {
                LOG.info("login of '{}' refused by the user list", printable(name));
            } else {
                LOG.debug("login of '{}' refused by the user list", printable(name));
            }
            refuse(session, anonymous, Reply.of(530, "Permission denied."));
            return;
        }
        if (anonymous && config.get(CoreDirectives.NO_ANON_PASSWORD)) {
            loginAnonymous(session, "");
            return;
        }
        session.awaitPassword(new LoginState.AwaitingPassword(name, anonymous));
        session.reply(331, "Please specify the password.");
    }

    /**
     * vsftpd's TLS login rules (prelogin.c), in force only with ssl_enable: local users must have
     * done AUTH TLS when force_local_logins_ssl is set, so their password never crosses the network
     * in clear; anonymous users may use TLS only with allow_anon_ssl. As in vsftpd, a refused
     * plaintext login ends the connection: the client has to start over with AUTH TLS.
     */
    private static boolean tlsAllows(Session session, boolean anonymous) throws IOException {
        if (session.server().tls().isEmpty()) {
            return true;
        }
        ServerConfig config = session.config();
        boolean secure = session.tlsNegotiated();
        if (anonymous && secure && !config.get(CoreDirectives.ALLOW_ANON_SSL)) {
            turnAway(session, true, 530, "Anonymous sessions may not use encryption.");
            return false;
        }
        if (!anonymous && !secure && config.get(CoreDirectives.FORCE_LOCAL_LOGINS_SSL)) {
            turnAway(session, false, 530, "Non-anonymous sessions must use encryption.");
            session.quit();
            return false;
        }
        if (anonymous && !secure && config.get(CoreDirectives.ALLOW_ANON_SSL)
                && config.get(CoreDirectives.FORCE_ANON_LOGINS_SSL)) {
            turnAway(session, true, 530, "Anonymous sessions must use encryption.");
            session.quit();
            return false;
        }
        return true;
    }

    /** vsftpd: "ftp" and "anonymous" both log in anonymously; Ferry adds ftp_username. */
    static boolean isAnonymousName(String name, String ftpUsername) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.equals("anonymous") || lower.equals("ftp") || name.equalsIgnoreCase(ftpUsername);
    }

    public static void pass(Session session, Request request) throws IOException {
        if (!(session.login() instanceof LoginState.AwaitingPassword awaiting)) {
            if (session.login().loggedIn()) {
                session.reply(230, "Already logged in.");
            } else {
                session.reply(503, "Login with USER first.");
            }
            return;
        }
        if (awaiting.anonymous()) {
            String email = request.argument();
            AccessControl access = access(session);
            if (access.bannedEmails().map(list -> list.contains(email)).orElse(false)
                    || access.emailPasswords().map(list -> !list.contains(email)).orElse(false)) {
                // never log the password itself, though anonymous ones are e-mail addresses
                LOG.info("anonymous login refused: password not accepted by the e-mail lists");
                failed(session, true);
                return;
            }
            loginAnonymous(session, email);
            return;
        }
        String name = awaiting.name();
        // authenticate even a denied name, so the answer takes as long as for any other name
        LoginResult result = session.latest().logins().check(name, request.argument());
        if (result instanceof LoginResult.Unavailable unavailable) {
            // the source could not decide: a 530 would tell the user the password is wrong
            LOG.warn("login of '{}' refused: {}", printable(name), unavailable.reason());
            turnAway(session, false, 421, "Service not available: logins cannot be checked now, try later.");
            session.quit();
            return;
        }
        if (!(result instanceof LoginResult.Accepted(User user))) {
            LOG.info("failed login for '{}'", printable(name));
            failed(session, false);
            return;
        }
        // a PAM module may map the typed name to another account: both must pass the deny list
        if (access(session).deniedUser(name) || access(session).deniedUser(user.name())) {
            LOG.info("login of '{}' refused: listed in deny_users_file or root", printable(name));
            failed(session, false);
            return;
        }
        loginLocal(session, user);
    }

    private static void loginAnonymous(Session session, String email) throws IOException {
        String ftpUser = session.config().get(CoreDirectives.FTP_USERNAME);
        Optional<ServerConfig> config = userConfig(session, ftpUser);
        if (config.isEmpty()) {
            failed(session, true);
            return;
        }
        StoragePath root = session.latest().anonRoot();
        ServerConfig userConfig = config.get();
        if (!userConfig.get(CoreDirectives.ANON_ROOT).equals(session.latest().config().get(CoreDirectives.ANON_ROOT))) {
            try {
                root = directory(session, userConfig.get(CoreDirectives.ANON_ROOT).map(Path::toString).orElse("."));
            } catch (StorageException.Transient e) {
                LOG.warn("anonymous login refused: the storage is unavailable: {}", e.getMessage());
                turnAway(session, true, 421, STORAGE_DOWN);
                session.quit();
                return;
            } catch (StorageException | IllegalArgumentException e) {
                LOG.warn("anonymous login refused: anon_root of {} unusable: {}", ftpUser, e.getMessage());
                failed(session, true);
                return;
            }
        }
        Policy policy = Policy.of(new Identity(true, ftpUser, List.of()), userConfig, access(session).rules());
        succeed(session, userConfig, new LoginState.Anonymous(email), root, StoragePath.ROOT, policy);
        LOG.info("anonymous login");
    }

    /**
     * A non-anonymous login that a source accepted: as a local user, or with guest_enable as
     * vsftpd's virtual user (twoprocess.c, common_do_login). Either way the user_config_dir file is
     * the one named after the name the user typed, read first, so it can set local_root,
     * guest_enable or the rights per virtual user, as vsftpd virtual-user setups do.
     */
    private static void loginLocal(Session session, User user) throws IOException {
        Optional<ServerConfig> found = userConfig(session, user.name());
        if (found.isEmpty()) {
            failed(session, false);
            return;
        }
        ServerConfig config = found.get();
        if (!user.directives().isEmpty()) {
            // an auth_program's per-user directives, over the user_config_dir file as a later line would be
            try {
                config = config.with(Source.text("the directives auth_program or LDAP answered for " + printable(user.name()),
                        String.join("\n", user.directives())));
                AccessControl.check(config);
            } catch (ConfigException e) {
                LOG.error("login of '{}' refused: {}", printable(user.name()), e.getMessage());
                turnAway(session, false, 421, "Service not available: logins cannot be checked now, try later.");
                session.quit();
                return;
            }
        }
        boolean guest = config.get(CoreDirectives.GUEST_ENABLE);
        // vsftpd: a guest has anonymous rights and is always jailed, unless virtual_use_local_privs
        boolean localPrivileges = !guest || config.get(CoreDirectives.VIRTUAL_USE_LOCAL_PRIVS);
        StoragePath home;
        try {
            Optional<String> guestHome = guest ? guestHome(session, config, user) : Optional.of(user.home());
            if (guestHome.isEmpty()) {
                return; // refused and logged
            }
            home = directory(session, Homes.of(config, storage(session), user, guestHome.get()));
        } catch (StorageException.Transient e) {
            // the storage is unreachable, not the password wrong: 421 says so and ends the connection
            LOG.warn("login of '{}' refused: the storage is unavailable: {}", user.name(), e.getMessage());
            turnAway(session, false, 421, STORAGE_DOWN);
            session.quit();
            return;
        } catch (StorageException | IllegalArgumentException e) {
            LOG.warn("login of '{}' refused: home directory unusable: {}", user.name(), e.getMessage());
            turnAway(session, false, 530, "Login incorrect: cannot change to home directory.");
            return;
        }
        // vsftpd: chroot_list_file names the exceptions to chroot_local_user (by the typed name)
        boolean listed = config.get(CoreDirectives.CHROOT_LIST_ENABLE) && access(session).chrootList().contains(user.name());
        boolean jailed = !localPrivileges || config.get(CoreDirectives.CHROOT_LOCAL_USER) != listed;
        Policy policy = Policy.of(new Identity(!localPrivileges, user.name(), user.groups()), config,
                access(session).rules());
        if (jailed && !config.get(CoreDirectives.ALLOW_WRITEABLE_CHROOT) && writableAt(policy, home)) {
            // vsftpd's check, kept for configurations that rely on it
            LOG.warn("login of '{}' refused: writable root of the jail and allow_writeable_chroot=NO", user.name());
            turnAway(session, false, 500, "OOPS: refusing to run with writable root inside chroot()");
            session.quit();
            return;
        }
        if (!session.claimUser(user.name())) {
            turnAway(session, false, 530, "Login refused: too many sessions for this user, please try later.");
            return;
        }
        StoragePath root = jailed ? home : StoragePath.ROOT;
        StoragePath cwd = jailed ? StoragePath.ROOT : home;
        LoginState state = guest ? new LoginState.Guest(user, localPrivileges) : new LoginState.Local(user);
        succeed(session, config, state, root, cwd, policy);
        if (guest) {
            LOG.info("login of '{}' as guest '{}'{}", user.name(), config.get(CoreDirectives.GUEST_USERNAME),
                    localPrivileges ? " with local rights" : "");
        } else {
            LOG.info("login of '{}'", user.name());
        }
    }

    /**
     * The home of guest_username's system account (vsftpd's calculate_chdir_dir: the guest's home
     * comes from that account, whatever the login source said), or empty after refusing the login.
     * Needed only when local_root does not set the home.
     */
    private static Optional<String> guestHome(Session session, ServerConfig config, User user) throws IOException {
        if (config.get(CoreDirectives.LOCAL_ROOT).isPresent()) {
            return Optional.of("");
        }
        String account = config.get(CoreDirectives.GUEST_USERNAME);
        switch (session.latest().logins().systemAccount(account)) {
            case LoginResult.Accepted(User found) -> {
                return Optional.of(found.home());
            }
            case LoginResult.Unavailable unavailable -> {
                LOG.warn("login of '{}' refused: guest_username '{}' cannot be looked up: {}", user.name(), account,
                        unavailable.reason());
                turnAway(session, false, 421, "Service not available: logins cannot be checked now, try later.");
                session.quit();
                return Optional.empty();
            }
            case LoginResult.Refused refused -> {
                LOG.error("login of '{}' refused: guest_username '{}' is no account of this system", user.name(),
                        account);
                turnAway(session, false, 530, "Login incorrect: cannot change to home directory.");
                return Optional.empty();
            }
        }
    }

    private static boolean writableAt(Policy policy, StoragePath home) {
        return policy.rights(home).stream().anyMatch(Right::writes);
    }

    private static void succeed(Session session, ServerConfig config, LoginState state, StoragePath root,
                                StoragePath cwd, Policy policy) throws IOException {
        pause(config.get(CoreDirectives.DELAY_SUCCESSFUL_LOGIN));
        session.config(config);
        try {
            session.login(state, root, cwd, policy);
        } catch (StorageException e) {
            // the storage cannot give this session its jail: not the user's fault, so no 530 (RFC 959: 421 closes)
            LOG.warn("login refused: the storage cannot open the session's root {}: {}", root, e.getMessage());
            turnAway(session, state instanceof LoginState.Anonymous, 421, STORAGE_DOWN);
            session.quit();
            return;
        }
        if (config.get(CoreDirectives.TILDE_USER_ENABLE)) {
            session.user().tildeUsers(TildeHomes.of(session.latest()));
        }
        session.server().metrics().login(state instanceof LoginState.Anonymous, true);
        List<String> message = DirMessage.on(session, session.user().cwd());
        session.reply(message.isEmpty() ? Reply.of(230, "Login successful.")
                : Reply.multi(230, message.getFirst(), message.subList(1, message.size()), "Login successful."));
    }

    /**
     * A failed login: 530 after delay_failed_login, and the connection ends at max_login_fails.
     * The delay sleeps this session's virtual thread, which gives its carrier back to the others.
     */
    private static void failed(Session session, boolean anonymous) throws IOException {
        refuse(session, anonymous, Reply.of(530, "Login incorrect."));
    }

    private static void refuse(Session session, boolean anonymous, Reply reply) throws IOException {
        session.logout();
        countRefusal(session, anonymous);
        session.config(session.latest().config());
        pause(session.config().get(CoreDirectives.DELAY_FAILED_LOGIN));
        int fails = session.failedLogin();
        session.reply(reply);
        int max = session.config().get(CoreDirectives.MAX_LOGIN_FAILS);
        if (max > 0 && fails >= max) {
            LOG.info("{} failed logins: closing the connection", fails);
            session.quit();
        }
    }

    /**
     * A login refused at once, without delay_failed_login or a count towards max_login_fails: a
     * class of logins the configuration rules out, as vsftpd refuses them.
     */
    private static void turnAway(Session session, boolean anonymous, int code, String text) throws IOException {
        session.logout();
        countRefusal(session, anonymous);
        session.reply(code, text);
    }

    /** A refused login, for the metrics: every path that ends a login attempt with a refusal calls it once. */
    private static void countRefusal(Session session, boolean anonymous) {
        session.server().metrics().login(anonymous, false);
    }

    private static void pause(int seconds) {
        if (seconds <= 0) {
            return;
        }
        try {
            Thread.sleep(Duration.ofSeconds(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The session's settings: the main configuration, with the user's file from user_config_dir
     * applied over it when there is one. Empty (and logged) when that file is broken.
     */
    private static Optional<ServerConfig> userConfig(Session session, String name) {
        ServerConfig main = session.latest().config();
        Optional<Path> dir = main.get(CoreDirectives.USER_CONFIG_DIR);
        if (dir.isEmpty() || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            return Optional.of(main);
        }
        Path file = dir.get().resolve(name);
        if (!Files.isRegularFile(file)) {
            return Optional.of(main); // vsftpd: no file, no overrides
        }
        try {
            ServerConfig config = main.with(Source.file(file));
            AccessControl.check(config);
            return Optional.of(config);
        } catch (ConfigException e) {
            LOG.error("login of '{}' refused: {}", printable(name), e.getMessage());
            return Optional.empty();
        }
    }

    private static StoragePath directory(Session session, String configured) throws StorageException {
        return directory(session, storage(session).configuredPath(configured));
    }

    /** {@code path}, which must be a directory. */
    private static StoragePath directory(Session session, StoragePath path) throws StorageException {
        if (!storage(session).stat(path).isDirectory()) {
            throw new StorageException.NotADirectory(path);
        }
        return path;
    }

    private static AccessControl access(Session session) {
        return session.latest().access();
    }

    /** The whole storage, where homes and anon_root are found before a session has its view. */
    private static Storage storage(Session session) {
        return session.server().storage();
    }

    /** Client text in a log line: no control characters that could forge another line. */
    private static String printable(String text) {
        return text.replaceAll("\\p{Cntrl}", "?");
    }

    public static void acct(Session session, Request request) throws IOException {
        // RFC 959: 202 when the server needs no account information
        session.reply(202, "ACCT command not needed.");
    }

    public static void rein(Session session, Request request) throws IOException {
        session.reinitialize();
        session.reply(220, "Service ready for new user.");
    }

    public static void quit(Session session, Request request) throws IOException {
        session.quit();
        session.reply(221, "Goodbye.");
    }
}
