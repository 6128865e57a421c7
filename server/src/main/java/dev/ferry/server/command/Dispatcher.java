package dev.ferry.server.command;

import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.protocol.Request;
import dev.ferry.server.protocol.Verb;
import dev.ferry.server.session.Session;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one request through the gates of its verb, in order: known verb (500), wait for a running
 * transfer unless the verb may interrupt it, login (530), cmds_allowed / cmds_denied (550), write
 * permission (550), storage capability (502), FTPS configured (502), data protection (522); then the
 * handler. Per-path rights are checked by the handlers, which resolve the paths, before they call the
 * storage.
 */
public final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private Dispatcher() {
    }

    public static void dispatch(Session session, Request request) throws IOException {
        LOG.debug("< {}", request);
        Verb verb = Verb.find(request.verb());
        if (verb == null || !verb.runsDuringTransfer()) {
            // RFC 959 section 5.4: replies keep the order of commands, so anything else waits
            session.transfers().awaitTransfer();
        }
        try {
            if (verb == null) {
                session.reply(500, "Unknown command.");
            } else if (verb.access() == Verb.Access.LOGGED_IN && !session.login().loggedIn()) {
                session.reply(530, "Please login with USER and PASS.");
            } else if (session.login().loggedIn() && !permitted(session, request.verb(), verb)) {
                LOG.info("denied command {} to {}", request.verb(), session.login().userName());
                session.reply(550, "Permission denied.");
            } else if (verb.writes() && !session.user().writable()) {
                session.reply(550, "Permission denied.");
            } else if (verb.needs() != null && !session.capabilities().contains(verb.needs())) {
                session.reply(502, verb.name() + " is not supported by this server's storage.");
            } else if (verb.needsTls() && session.server().tls().isEmpty()) {
                session.reply(502, verb.name() + " is not available: this server has no TLS (ssl_enable).");
            } else if (verb.transfers() && mustEncryptData(session)) {
                // vsftpd's wording, checked before the data connection is used (RFC 4217 section 9)
                session.reply(522, "Data connections must be encrypted.");
            } else {
                Commands.handler(verb).handle(session, request);
            }
        } catch (StoragePath.InvalidPathException e) {
            session.reply(verb.writes() ? 553 : 550, "Invalid file name.");
        } catch (RuntimeException e) {
            // A handler bug must cost one command, not the session: without this the exception ends
            // the control thread and the client sees the connection drop with no reply at all.
            // RFC 959: 451 "Requested action aborted: local error in processing".
            LOG.error("{} failed", verb, e);
            session.reply(451, "Local error in processing.");
        } finally {
            // REST and RNFR apply to the very next command only (RFC 959 section 4.1.3, RFC 3659
            // section 5.3); an unknown command in between counts as that next command too. Setting
            // up the data connection does not: clients send REST before or after PASV/PORT/TYPE.
            if (!keepsRestart(verb)) {
                session.restartOffset(0);
            }
            if (verb != Verb.RNFR) {
                session.renameFrom(null);
            }
        }
    }

    /**
     * vsftpd's cmds_allowed and cmds_denied, for the command as typed and for its verb, so that
     * denying CWD denies XCWD too. Checked once logged in, so a per-user file can set them and
     * a global list such as vsftpd's example {@code cmds_allowed=PASV,RETR,QUIT} still lets users log in.
     */
    public static boolean permitted(Session session, String typed, Verb verb) {
        List<String> allowed = session.config().get(CoreDirectives.CMDS_ALLOWED);
        List<String> denied = session.config().get(CoreDirectives.CMDS_DENIED);
        return (allowed.isEmpty() || names(allowed, typed, verb)) && !names(denied, typed, verb);
    }

    private static boolean names(List<String> commands, String typed, Verb verb) {
        return commands.stream().anyMatch(c -> c.equalsIgnoreCase(typed) || c.equalsIgnoreCase(verb.name()));
    }

    /** force_local_data_ssl / force_anon_data_ssl, which vsftpd applies only with ssl_enable. */
    private static boolean mustEncryptData(Session session) {
        if (session.server().tls().isEmpty() || session.dataProtected()) {
            return false;
        }
        boolean anonymous = session.login().anonymousRights();
        return anonymous ? session.config().get(CoreDirectives.ALLOW_ANON_SSL)
                && session.config().get(CoreDirectives.FORCE_ANON_DATA_SSL)
                : session.config().get(CoreDirectives.FORCE_LOCAL_DATA_SSL);
    }

    private static boolean keepsRestart(Verb verb) {
        return verb != null && switch (verb) {
            case REST, STAT, ABOR, PASV, EPSV, PORT, EPRT, TYPE, NOOP, PBSZ, PROT -> true;
            default -> false;
        };
    }
}
