package dev.ferry.server.command;

import dev.ferry.server.access.Right;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.protocol.Request;
import dev.ferry.server.protocol.StorageReplies;
import dev.ferry.server.session.Session;
import dev.ferry.storage.Capability;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Commands on single files and directories: DELE RMD MKD RNFR RNTO SIZE MDTM MFMT. */
public final class FileCommands {

    /** RFC 3659 section 2.3 time-val, UTC, without the optional fraction. */
    static final DateTimeFormatter TIME_VAL = DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final Pattern TIME_AND_PATH = Pattern.compile("(\\d{14})(?:\\.\\d{1,3})? (.+)", Pattern.DOTALL);

    private FileCommands() {
    }

    public static void dele(Session session, Request request) throws IOException {
        Optional<StoragePath> path = changeable(session, request, "DELE", Right.DELETE);
        if (path.isEmpty()) {
            return;
        }
        try {
            session.user().storage().delete(path.get());
            session.reply(250, "Delete operation successful.");
        } catch (StorageException e) {
            session.reply(StorageReplies.reply(e, "Delete operation failed"));
        }
    }

    public static void rmd(Session session, Request request) throws IOException {
        Optional<StoragePath> path = changeable(session, request, "RMD", Right.DELETE);
        if (path.isEmpty() || !unruled(session, path.get(), "Remove directory operation failed")) {
            return;
        }
        try {
            session.user().storage().deleteDirectory(path.get());
            session.reply(250, "Remove directory operation successful.");
        } catch (StorageException e) {
            session.reply(StorageReplies.reply(e, "Remove directory operation failed"));
        }
    }

    public static void mkd(Session session, Request request) throws IOException {
        if (!request.hasArgument()) {
            session.reply(501, "MKD needs a directory name.");
            return;
        }
        StoragePath visible = session.user().virtualPath(request.argument());
        if (!Guard.permit(session, Right.MKDIR, visible)) {
            return;
        }
        try {
            session.user().storage().createDirectory(visible);
            Modes.apply(session, visible, 0777);
            session.reply(257, Paths.quote(visible) + " created");
        } catch (StorageException e) {
            session.reply(StorageReplies.reply(e, "Create directory operation failed"));
        }
    }

    public static void rnfr(Session session, Request request) throws IOException {
        Optional<StoragePath> path = changeable(session, request, "RNFR", Right.RENAME);
        if (path.isEmpty() || !unruled(session, path.get(), "RNFR command failed")) {
            return;
        }
        try {
            session.user().storage().stat(path.get());
            session.renameFrom(path.get());
            session.reply(350, "Ready for RNTO.");
        } catch (StorageException e) {
            session.reply(StorageReplies.reply(e, "RNFR command failed"));
        }
    }

    public static void rnto(Session session, Request request) throws IOException {
        Optional<StoragePath> from = session.renameFrom();
        if (from.isEmpty()) {
            session.reply(503, "RNFR required first.");
            return;
        }
        Optional<StoragePath> to = changeable(session, request, "RNTO", Right.RENAME);
        if (to.isEmpty()) {
            return;
        }
        try {
            FileInfo source = session.user().storage().stat(from.get());
            if (source.isDirectory() && !session.capabilities().contains(Capability.RENAME_DIRECTORY)) {
                session.reply(550, "Rename failed: this server's storage cannot rename directories.");
                return;
            }
            // renaming onto an existing file replaces it: that needs the overwrite right too, or a
            // drop box's files could be replaced by RNFR/RNTO where STOR may not replace them
            if (exists(session, to.get()) && !Guard.permit(session, Right.OVERWRITE, to.get())) {
                return;
            }
            session.user().storage().rename(from.get(), to.get());
            session.reply(250, "Rename successful.");
        } catch (StorageException e) {
            session.reply(StorageReplies.reply(e, "Rename failed"));
        }
    }

    public static void size(Session session, Request request) throws IOException {
        Optional<FileInfo> file = regularFile(session, request, "Could not get file size");
        if (file.isPresent()) {
            session.reply(213, Long.toString(file.get().size()));
        }
    }

    /**
     * MDTM (RFC 3659 section 3). The two-argument form {@code MDTM YYYYMMDDHHMMSS path} that
     * vsftpd accepts (mdtm_write) sets the time, like MFMT, when the session may write.
     */
    public static void mdtm(Session session, Request request) throws IOException {
        Matcher setter = TIME_AND_PATH.matcher(request.argument());
        if (setter.matches() && session.user().writable() && session.config().get(CoreDirectives.MDTM_WRITE)
                && session.capabilities().contains(Capability.SET_MODIFIED)) {
            // a file really named "20240101000000 x" is asked for its time; anything else sets one
            try {
                if (!exists(session, session.user().virtualPath(request.argument()))) {
                    setModified(session, setter.group(1), setter.group(2), false);
                    return;
                }
            } catch (StorageException e) {
                session.reply(StorageReplies.reply(e, "Could not get file modification time"));
                return;
            }
        }
        Optional<FileInfo> file = regularFile(session, request, "Could not get file modification time");
        if (file.isPresent()) {
            session.reply(213, TIME_VAL.withZone(zone(session)).format(file.get().modified()));
        }
    }

    /**
     * The zone of LIST times and MDTM: UTC, or with use_localtime the server's own zone, as vsftpd
     * does (sysutil.c: localtime instead of gmtime for ls and MDTM, mktime for MDTM's setting form).
     * MLSD, MLST and MFMT stay UTC: RFC 3659 section 2.3 and draft-somers-ftp-mfxx define them so, and
     * vsftpd has none of them.
     */
    static ZoneId zone(Session session) {
        return session.config().get(CoreDirectives.USE_LOCALTIME) ? ZoneId.systemDefault() : ZoneOffset.UTC;
    }

    /** MFMT (draft-somers-ftp-mfxx): {@code MFMT YYYYMMDDHHMMSS path}, replies {@code 213 Modify=...; path}. */
    public static void mfmt(Session session, Request request) throws IOException {
        Matcher matcher = TIME_AND_PATH.matcher(request.argument());
        if (!matcher.matches()) {
            session.reply(501, "MFMT needs YYYYMMDDHHMMSS and a path.");
            return;
        }
        if (!session.config().get(CoreDirectives.MDTM_WRITE)) {
            session.reply(550, Guard.DENIED);
            return;
        }
        setModified(session, matcher.group(1), matcher.group(2), true);
    }

    private static void setModified(Session session, String time, String pathText, boolean mfmtReply)
            throws IOException {
        Instant instant;
        try {
            ZoneId zone = mfmtReply ? ZoneOffset.UTC : zone(session);
            instant = LocalDateTime.parse(time, DateTimeFormatter.ofPattern("uuuuMMddHHmmss")).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            session.reply(501, "Invalid time: " + time);
            return;
        }
        StoragePath visible = session.user().virtualPath(pathText);
        if (!Guard.permit(session, Right.OVERWRITE, visible)) {
            return;
        }
        try {
            session.user().storage().setModified(visible, instant);
            session.reply(213, mfmtReply ? "Modify=" + time + "; " + pathText
                    : TIME_VAL.withZone(zone(session)).format(instant));
        } catch (StorageException e) {
            session.reply(StorageReplies.reply(e, "Could not set file modification time"));
        }
    }

    /**
     * Whether something is at {@code visible}. Only NotFound means absent: a transient failure is
     * an error to report, never a reason to skip the overwrite check that depends on the answer.
     */
    static boolean exists(Session session, StoragePath visible) throws StorageException {
        try {
            session.user().storage().stat(visible);
            return true;
        } catch (StorageException.NotFound e) {
            return false;
        }
    }

    /**
     * RNFR and RMD: a path an access rule is written for, or that holds one below it, stays where
     * it is, or what the rule protects would move out from under it.
     */
    private static boolean unruled(Session session, StoragePath visible, String action) throws IOException {
        if (!session.user().policy().ruled(session.user().storagePath(visible))) {
            return true;
        }
        Guard.deny(session, "move or remove (an access rule applies below)", visible, 550,
                action + ": an access rule applies to this directory or below it.");
        return false;
    }

    /** The file a SIZE or MDTM names; replies 550 and returns empty for directories and failures. */
    private static Optional<FileInfo> regularFile(Session session, Request request, String action) throws IOException {
        if (!request.hasArgument()) {
            session.reply(501, action + ": a file name is needed.");
            return Optional.empty();
        }
        StoragePath visible = session.user().virtualPath(request.argument());
        if (!canSee(session, visible)) {
            return Optional.empty();
        }
        try {
            FileInfo info = session.user().storage().stat(visible);
            if (info.isDirectory()) {
                session.reply(550, action + ": is a directory.");
                return Optional.empty();
            }
            return Optional.of(info);
        } catch (StorageException e) {
            session.reply(StorageReplies.reply(e, action));
            return Optional.empty();
        }
    }

    /**
     * Whether the facts of {@code visible} (SIZE, MDTM, MLST) may be shown: to whom may read the
     * file or list its directory. A write-only drop box answers 550, as vsftpd's chmod 722
     * directory would.
     */
    static boolean canSee(Session session, StoragePath visible) throws IOException {
        if (session.user().allows(Right.READ, visible) || session.user().allows(Right.LIST, visible.parent())) {
            return true;
        }
        Guard.deny(session, "read", visible, 550, Guard.DENIED);
        return false;
    }

    /** The path DELE, RMD, RNFR, RNTO act on; a user's own root is never deleted or moved. */
    private static Optional<StoragePath> changeable(Session session, Request request, String verb, Right right)
            throws IOException {
        if (!request.hasArgument()) {
            session.reply(501, verb + " needs a path.");
            return Optional.empty();
        }
        StoragePath visible = session.user().virtualPath(request.argument());
        if (visible.isRoot()) {
            session.reply(550, "Permission denied: the root directory cannot be changed.");
            return Optional.empty();
        }
        if (!Guard.permit(session, right, visible)) {
            return Optional.empty();
        }
        return Optional.of(visible);
    }
}
