package dev.ferry.server.command;

import dev.ferry.server.protocol.Reply;
import dev.ferry.server.protocol.Request;
import dev.ferry.server.protocol.StorageReplies;
import dev.ferry.server.session.Session;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.util.List;

/** PWD, CWD, CDUP (RFC 959 section 4.1.1 and 4.1.3). */
public final class NavigationCommands {

    private NavigationCommands() {
    }

    public static void pwd(Session session, Request request) throws IOException {
        session.reply(257, Paths.quote(session.user().cwd()) + " is the current directory");
    }

    public static void cwd(Session session, Request request) throws IOException {
        if (!request.hasArgument()) {
            session.reply(501, "CWD needs a directory.");
            return;
        }
        change(session, session.user().virtualPath(request.argument()));
    }

    public static void cdup(Session session, Request request) throws IOException {
        change(session, session.user().cwd().parent());
    }

    private static void change(Session session, StoragePath target) throws IOException {
        // vsftpd lets a user into a directory it may do anything in (chmod 733 drop boxes
        // included); a directory where the rules leave nothing, or that deny_file names, stays shut
        if (!Guard.reachable(session, target)) {
            return;
        }
        if (session.user().rights(target).isEmpty()) {
            Guard.deny(session, "entry", target, 550, "Failed to change directory.");
            return;
        }
        try {
            FileInfo info = session.user().storage().stat(target);
            if (!info.isDirectory()) {
                session.reply(550, "Failed to change directory: not a directory.");
                return;
            }
            session.user().cwd(target);
            // vsftpd answers 250 to CDUP too; RFC 959 allows 200 or 250
            List<String> message = DirMessage.on(session, target);
            session.reply(message.isEmpty() ? Reply.of(250, "Directory successfully changed.")
                    : Reply.multi(250, message.getFirst(), message.subList(1, message.size()),
                            "Directory successfully changed."));
        } catch (StorageException e) {
            session.reply(StorageReplies.reply(e, "Failed to change directory"));
        }
    }
}
