package dev.ferry.server.command;

import dev.ferry.server.access.Right;
import dev.ferry.server.session.Session;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access check each command makes before it calls the storage: deny_file, the directives'
 * rights and the access rules ({@link Session#allows}). A refusal is logged and answered here.
 */
final class Guard {

    private static final Logger LOG = LoggerFactory.getLogger(Guard.class);

    /** vsftpd's reply for anything the configuration forbids. */
    static final String DENIED = "Permission denied.";

    private Guard() {
    }

    /** True when {@code right} is allowed on {@code visible}; else replies {@code code text} and logs it. */
    static boolean permit(Session session, Right right, StoragePath visible, int code, String text) throws IOException {
        if (session.user().allows(right, visible)) {
            return true;
        }
        deny(session, right.token(), visible, code, text);
        return false;
    }

    /** {@link #permit} with vsftpd's {@code 550 Permission denied.} */
    static boolean permit(Session session, Right right, StoragePath visible) throws IOException {
        return permit(session, right, visible, 550, DENIED);
    }

    /** deny_file alone: paths a command only looks at (CWD) must not match it. */
    static boolean reachable(Session session, StoragePath visible) throws IOException {
        if (session.user().reachable(visible)) {
            return true;
        }
        deny(session, "access", visible, 550, DENIED);
        return false;
    }

    static void deny(Session session, String what, StoragePath visible, int code, String text) throws IOException {
        LOG.info("denied {} on {} to {}", what, visible, session.login().userName());
        session.reply(code, text);
    }
}
