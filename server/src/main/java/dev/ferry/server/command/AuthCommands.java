package dev.ferry.server.command;

import dev.ferry.server.auth.User;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.protocol.Request;
import dev.ferry.server.session.Homes;
import dev.ferry.server.session.LoginState;
import dev.ferry.server.session.Session;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** USER, PASS, ACCT, REIN, QUIT (RFC 959 section 4.1.1), with vsftpd's reply texts. */
public final class AuthCommands {

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
        boolean anonymous = isAnonymousName(name);
        if (anonymous && !session.config().get(CoreDirectives.ANONYMOUS_ENABLE)) {
            session.login(LoginState.NONE, StoragePath.ROOT, false);
            session.reply(530, "This FTP server does not allow anonymous logins.");
            return;
        }
        if (!anonymous && !session.config().get(CoreDirectives.LOCAL_ENABLE)) {
            session.login(LoginState.NONE, StoragePath.ROOT, false);
            session.reply(530, "This FTP server is anonymous only.");
            return;
        }
        session.awaitPassword(new LoginState.AwaitingPassword(name, anonymous));
        session.reply(331, "Please specify the password.");
    }

    /** vsftpd: "ftp" and "anonymous" both log in anonymously. */
    static boolean isAnonymousName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.equals("anonymous") || lower.equals("ftp");
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
            session.login(new LoginState.Guest(request.argument()), session.server().anonRoot(), false);
            LOG.info("anonymous login");
            session.reply(230, "Login successful.");
            return;
        }
        Optional<User> user = session.server().users().authenticate(awaiting.name(), request.argument());
        if (user.isEmpty()) {
            session.login(LoginState.NONE, StoragePath.ROOT, false);
            LOG.info("failed login for '{}'", printable(awaiting.name()));
            session.reply(530, "Login incorrect.");
            return;
        }
        StoragePath home;
        try {
            home = homeOf(session, user.get());
        } catch (StorageException | IllegalArgumentException e) {
            LOG.warn("login of '{}' refused: home directory unusable: {}", user.get().name(), e.getMessage());
            session.login(LoginState.NONE, StoragePath.ROOT, false);
            session.reply(530, "Login incorrect: cannot change to home directory.");
            return;
        }
        if (!session.claimUser(user.get().name())) {
            session.login(LoginState.NONE, StoragePath.ROOT, false);
            session.reply(530, "Login refused: too many sessions for this user, please try later.");
            return;
        }
        session.login(new LoginState.Local(user.get()), home, session.config().get(CoreDirectives.WRITE_ENABLE));
        LOG.info("login of '{}'", user.get().name());
        session.reply(230, "Login successful.");
    }

    /** The user's root ({@link Homes#of}), which must be a directory. */
    private static StoragePath homeOf(Session session, User user) throws StorageException {
        StoragePath path = Homes.of(session.config(), session.storage(), user);
        if (!session.storage().stat(path).isDirectory()) {
            throw new StorageException.NotADirectory(path);
        }
        return path;
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
