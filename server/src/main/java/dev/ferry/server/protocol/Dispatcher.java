package dev.ferry.server.protocol;

import dev.ferry.server.session.Session;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one request through the gates of its verb, in order: known verb (500), wait for a running
 * transfer unless the verb may interrupt it, login (530), write permission (550), storage
 * capability (502); then the handler.
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
            session.awaitTransfer();
        }
        try {
            if (verb == null) {
                session.reply(500, "Unknown command.");
            } else if (verb.access() == Verb.Access.LOGGED_IN && !session.login().loggedIn()) {
                session.reply(530, "Please login with USER and PASS.");
            } else if (verb.writes() && !session.writable()) {
                session.reply(550, "Permission denied.");
            } else if (verb.needs() != null && !session.capabilities().contains(verb.needs())) {
                session.reply(502, verb.name() + " is not supported by this server's storage.");
            } else {
                verb.handler().handle(session, request);
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

    private static boolean keepsRestart(Verb verb) {
        return verb != null && switch (verb) {
            case REST, STAT, ABOR, PASV, EPSV, PORT, EPRT, TYPE, NOOP -> true;
            default -> false;
        };
    }
}
