package dev.ferry.server.command;

import dev.ferry.server.access.Policy;
import dev.ferry.server.access.Right;
import dev.ferry.server.access.Wildcard;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.listing.ListingWriter;
import dev.ferry.server.listing.LsFormat;
import dev.ferry.server.listing.MlsxFormat;
import dev.ferry.server.protocol.Reply;
import dev.ferry.server.protocol.Request;
import dev.ferry.server.protocol.StorageReplies;
import dev.ferry.server.session.LoginState;
import dev.ferry.server.session.Session;
import dev.ferry.server.transfer.DataStreams;
import dev.ferry.server.transfer.TransferJob;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.NameListing;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LIST, NLST, MLSD over the data connection; MLST and STAT with a path over the control
 * connection. Listings stream from the storage's cursor: a huge directory is never held in memory.
 */
public final class ListingCommands {

    private static final Logger LOG = LoggerFactory.getLogger(ListingCommands.class);

    /**
     * How many entries a listing formats before it yields its carrier: virtual threads are not
     * time-sliced, and formatting a 100,000-entry directory from a fast storage is CPU work.
     */
    private static final int YIELD_EVERY = 1_000;

    private ListingCommands() {
    }

    /** What LIST and NLST were asked: {@code -laR} style flags, then an optional path or pattern. */
    record ListArguments(boolean all, boolean recursive, String path) {
        static ListArguments parse(String argument) {
            boolean all = false;
            boolean recursive = false;
            String rest = argument.strip();
            // ls flags as clients send them ("LIST -la", "LIST -aL dir"); a name starting with '-'
            // cannot be listed this way, as with vsftpd
            while (rest.startsWith("-")) {
                int end = rest.indexOf(' ');
                String flags = end < 0 ? rest : rest.substring(0, end);
                all |= flags.contains("a");
                recursive |= flags.contains("R");
                rest = end < 0 ? "" : rest.substring(end + 1).strip();
            }
            return new ListArguments(all, recursive, rest);
        }
    }

    public static void list(Session session, Request request) throws IOException {
        Instant now = Instant.now();
        ListArguments arguments = ListArguments.parse(request.argument());
        LsFormat.Owner owner = owner(session);
        ZoneId zone = FileCommands.zone(session);
        LsFormat.Lines lines = new LsFormat.Lines(owner, now, zone);
        LineFormat format = lines::append;
        if (arguments.recursive() && session.config().get(CoreDirectives.LS_RECURSE_ENABLE)) {
            recursive(session, arguments, format);
            return;
        }
        startListing(session, arguments, "LIST", "Here comes the directory listing.", format);
    }

    /**
     * The owner and group LIST shows. The storages have no owners, so vsftpd's hide_ids=NO shows the
     * session's own user and group (anonymous sessions: ftp_username), and hide_ids=YES shows ftp.
     */
    static LsFormat.Owner owner(Session session) {
        if (session.config().get(CoreDirectives.HIDE_IDS)) {
            return LsFormat.Owner.FTP;
        }
        return switch (session.login()) {
            case LoginState.Local local -> new LsFormat.Owner(local.user().name(),
                    local.user().groups().isEmpty() ? local.user().name() : local.user().groups().getFirst());
            // vsftpd: a guest's files belong to guest_username, whose user ID it runs as
            case LoginState.Guest guest -> {
                String account = session.config().get(CoreDirectives.GUEST_USERNAME);
                yield new LsFormat.Owner(account, account);
            }
            default -> {
                String ftp = session.config().get(CoreDirectives.FTP_USERNAME);
                yield new LsFormat.Owner(ftp, ftp);
            }
        };
    }

    /**
     * NLST: names only. Given a path, names are shown under it ("dir/file") so mget can RETR them.
     * A directory's names come from {@link dev.ferry.storage.Storage#names}, with no stat per
     * entry, as vsftpd and pure-ftpd read them: a link leading out of the jail, a dangling link or a
     * FIFO is named like any entry, and every command on it still answers 550.
     */
    public static void nlst(Session session, Request request) throws IOException {
        ListArguments arguments = ListArguments.parse(request.argument());
        if (!Guard.permit(session, Right.LIST, session.user().virtualPath(arguments.path()))) {
            return;
        }
        try {
            Selection<String> selection = selectNames(session, arguments);
            session.transfers().startTransfer(new ListingJob<>(selection.entries(), selection.close(),
                            selection.filter(), (out, name) -> out.append(selection.naming().apply(name)),
                            "Here comes the directory listing."),
                    "NLST " + arguments.path());
        } catch (StorageException e) {
            session.reply(StorageReplies.reply(e, "Failed to list directory"));
        } catch (Wildcard.TooComplex e) {
            session.reply(501, e.getMessage()); // RFC 959 lists 501, not 550, for LIST and NLST
        }
    }

    public static void mlsd(Session session, Request request) throws IOException {
        StoragePath visible = session.user().virtualPath(request.argument().strip());
        if (!Guard.permit(session, Right.LIST, visible)) {
            return;
        }
        Policy policy = session.user().policy();
        MlsxFormat.Lines format = session.mlsx().lines();
        try {
            FileInfo info = session.user().storage().stat(visible);
            if (!info.isDirectory()) {
                // RFC 3659 section 7.2.2: MLSD of a file is an error
                session.reply(501, "MLSD needs a directory; use MLST for a file.");
                return;
            }
            Listing listing = session.user().storage().list(visible);
            Function<FileInfo, Set<MlsxFormat.Right>> rights = Rights.forListing(session);
            LineAppender<FileInfo> line = (out, entry) -> format.append(out, entry, entry.name(), rights.apply(entry),
                    MlsxFormat.Role.ENTRY);
            session.transfers().startTransfer(new ListingJob<>(listing, listing::close,
                            entry -> !policy.hidden(entry.name()), line, "Here comes the directory listing."),
                    "MLSD " + visible);
        } catch (StorageException e) {
            session.reply(StorageReplies.reply(e, "Failed to list directory"));
        }
    }

    /** MLST (RFC 3659 section 7.2.1): the facts of one entry, on the control connection. */
    public static void mlst(Session session, Request request) throws IOException {
        StoragePath visible = session.user().virtualPath(request.argument().strip());
        if (!FileCommands.canSee(session, visible)) {
            return;
        }
        try {
            FileInfo info = session.user().storage().stat(visible);
            String facts = session.mlsx().entry(info, visible.toString(), Rights.of(session, info), MlsxFormat.Role.ENTRY);
            session.reply(Reply.multi(250, "Listing " + visible, List.of(" " + facts), "End"));
        } catch (StorageException e) {
            session.reply(StorageReplies.reply(e, "Failed to get facts"));
        }
    }

    /** STAT with a path (RFC 959 section 4.1.3): the LIST output on the control connection. */
    static void stat(Session session, String argument) throws IOException {
        Instant now = Instant.now();
        ListArguments arguments = ListArguments.parse(argument);
        if (!Guard.permit(session, Right.LIST, session.user().virtualPath(arguments.path()))) {
            return;
        }
        LsFormat.Owner owner = owner(session);
        ZoneId zone = FileCommands.zone(session);
        Selection<FileInfo> selection;
        try {
            selection = select(session, arguments);
        } catch (StorageException e) {
            session.reply(StorageReplies.reply(e, "Failed to get status"));
            return;
        } catch (Wildcard.TooComplex e) {
            session.reply(501, e.getMessage()); // RFC 959 lists 501 for STAT: a bad argument
            return;
        }
        // RFC 959: 212 directory status, 213 file status; streamed like LIST, never held whole
        int code = selection.directory() ? 212 : 213;
        LsFormat.Lines lines = new LsFormat.Lines(owner, now, zone);
        StringBuilder text = new StringBuilder(128);
        try {
            session.replies().sendStreamed(code, "Status follows:", sink -> {
                int seen = 0;
                for (FileInfo entry : selection.entries()) {
                    if (selection.filter().test(entry)) {
                        text.setLength(0);
                        lines.append(text, entry, selection.naming().apply(entry));
                        sink.line(text.toString());
                    }
                    if (++seen % YIELD_EVERY == 0) {
                        Thread.yield();
                    }
                }
            }, "End of status");
        } catch (Listing.ListingFailure e) {
            LOG.warn("STAT {}: the listing failed part way: {}", arguments.path(), e.getMessage());
        } finally {
            selection.close().run();
        }
    }

    /** Appends the line for one entry, showing {@code name}, to {@code out}. */
    @FunctionalInterface
    interface LineFormat {
        void append(StringBuilder out, FileInfo info, String name);
    }

    /** Appends the line for one entry (a FileInfo, or NLST's name) to {@code out}: the naming already chosen. */
    @FunctionalInterface
    private interface LineAppender<T> {
        void append(StringBuilder out, T entry);
    }

    private static void startListing(Session session, ListArguments arguments, String verb, String opening,
                                     LineFormat format) throws IOException {
        // checked on the path as given: a rule on a directory covers its files and patterns in it
        if (!Guard.permit(session, Right.LIST, session.user().virtualPath(arguments.path()))) {
            return;
        }
        try {
            Selection<FileInfo> selection = select(session, arguments);
            LineAppender<FileInfo> line = (out, entry) -> format.append(out, entry, selection.naming().apply(entry));
            session.transfers().startTransfer(new ListingJob<>(selection.entries(), selection.close(), selection.filter(),
                    line, opening), verb + " " + arguments.path());
        } catch (StorageException e) {
            session.reply(StorageReplies.reply(e, "Failed to list directory"));
        } catch (Wildcard.TooComplex e) {
            session.reply(501, e.getMessage()); // RFC 959 lists 501, not 550, for LIST and NLST
        }
    }

    /**
     * What a LIST-like command shows: a directory's entries, one file, or the entries of a
     * directory matching a shell pattern in the last segment ({@code *.txt}), like vsftpd. The
     * entries are FileInfos (LIST, STAT) or names (NLST); {@code close} releases the cursor.
     */
    private record Selection<T>(Iterable<T> entries, Runnable close, Predicate<T> filter, Function<T, String> naming,
                                boolean directory) {
    }

    /** LIST and STAT: entries shown under their bare names, as ls -l does, which LIST parsers expect. */
    private static Selection<FileInfo> select(Session session, ListArguments arguments) throws StorageException {
        String text = arguments.path();
        StoragePath visible = session.user().virtualPath(text);
        try {
            FileInfo info = session.user().storage().stat(visible);
            if (info.isDirectory()) {
                Listing listing = session.user().storage().list(visible);
                Predicate<String> shown = shown(session, arguments);
                return new Selection<>(listing, listing::close, entry -> shown.test(entry.name()), FileInfo::name, true);
            }
            return new Selection<>(List.of(info), () -> { }, entry -> true, entry -> text, false);
        } catch (StorageException.NotFound notFound) {
            Predicate<String> matches = pattern(session, arguments, visible, notFound);
            String parentText = parentText(text);
            Listing listing = session.user().storage().list(visible.parent());
            return new Selection<>(listing, listing::close, entry -> matches.test(entry.name()),
                    entry -> parentText + entry.name(), true);
        }
    }

    /**
     * NLST: a directory's names from {@link dev.ferry.storage.Storage#names}, shown as
     * {@code dir/name} when a path was given, as wu-ftpd and ProFTPD do, so {@code mget} can RETR
     * what it gets; a file by the path as given; a pattern's matches under its directory.
     */
    private static Selection<String> selectNames(Session session, ListArguments arguments) throws StorageException {
        String text = arguments.path();
        StoragePath visible = session.user().virtualPath(text);
        try {
            FileInfo info = session.user().storage().stat(visible);
            if (info.isDirectory()) {
                NameListing names = session.user().storage().names(visible);
                String prefix = text.isEmpty() ? "" : text.endsWith("/") ? text : text + "/";
                return new Selection<>(names, names::close, shown(session, arguments),
                        prefix.isEmpty() ? name -> name : name -> prefix + name, true);
            }
            return new Selection<>(List.of(text), () -> { }, name -> true, name -> name, false);
        } catch (StorageException.NotFound notFound) {
            Predicate<String> matches = pattern(session, arguments, visible, notFound);
            String parentText = parentText(text);
            NameListing names = session.user().storage().names(visible.parent());
            return new Selection<>(names, names::close, matches, name -> parentText + name, true);
        }
    }

    /**
     * The names a pattern in the last segment of a path that does not exist matches (vsftpd:
     * {@code LIST *.txt}); {@code notFound} again when that segment is no pattern.
     */
    private static Predicate<String> pattern(Session session, ListArguments arguments, StoragePath visible,
                                             StorageException.NotFound notFound) throws StorageException {
        String name = visible.name();
        if (!isPattern(name)) {
            throw notFound;
        }
        Wildcard pattern = Wildcard.glob(name); // linear-time; refuses over-long patterns
        Policy policy = session.user().policy();
        boolean dots = arguments.all() || name.startsWith(".") || session.config().get(CoreDirectives.FORCE_DOT_FILES);
        return entry -> pattern.matches(entry) && (dots || !entry.startsWith(".")) && !policy.hidden(entry);
    }

    /** The text before a pattern's last segment, slash included ("" for a bare pattern). */
    private static String parentText(String text) {
        int slash = text.lastIndexOf('/');
        return slash < 0 ? "" : text.substring(0, slash + 1);
    }

    /** Which entries of a directory LIST and NLST show: no hide_file names, dot files with -a or force_dot_files. */
    private static Predicate<String> shown(Session session, ListArguments arguments) {
        Policy policy = session.user().policy();
        boolean dots = arguments.all() || session.config().get(CoreDirectives.FORCE_DOT_FILES);
        return name -> (dots || !name.startsWith(".")) && !policy.hidden(name);
    }

    /**
     * LIST -R with ls_recurse_enable, laid out like vsftpd and ls -R: the entries of the directory,
     * then for each subdirectory a blank line, {@code path:} and its entries. Subdirectories the
     * session may not list are left out, as are hidden ones; the walk stops after
     * {@link RecursiveListingJob#MAX_DIRECTORIES} directories.
     */
    private static void recursive(Session session, ListArguments arguments, LineFormat format) throws IOException {
        StoragePath visible = session.user().virtualPath(arguments.path());
        if (!Guard.permit(session, Right.LIST, visible)) {
            return;
        }
        try {
            if (!session.user().storage().stat(visible).isDirectory()) {
                startListing(session, new ListArguments(arguments.all(), false, arguments.path()), "LIST",
                        "Here comes the directory listing.", format);
                return;
            }
        } catch (StorageException e) {
            session.reply(StorageReplies.reply(e, "Failed to list directory"));
            return;
        }
        Policy policy = session.user().policy();
        StoragePath root = session.user().storagePath(StoragePath.ROOT);
        Predicate<String> names = shown(session, arguments);
        Predicate<FileInfo> shown = entry -> names.test(entry.name());
        Predicate<StoragePath> listable = dir -> !policy.denied(dir) && policy.allows(Right.LIST, dir.under(root));
        String base = arguments.path().isEmpty() ? "." : arguments.path().replaceAll("/+$", "");
        session.transfers().startTransfer(new RecursiveListingJob(session.user().storage(), visible, base, shown, listable,
                format::append, "Here comes the directory listing."), "LIST -R " + arguments.path());
    }

    private static boolean isPattern(String name) {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0;
    }

    /**
     * Writes a listing over the data connection, CRLF-terminated UTF-8 lines (RFC 959, RFC 2640):
     * each line formatted into one reused builder, then copied into {@link ListingWriter}'s buffer.
     * {@code entries} are FileInfos (LIST, MLSD) or names (NLST); {@code close} releases their cursor.
     */
    private record ListingJob<T>(Iterable<T> entries, Runnable close, Predicate<T> filter, LineAppender<T> line,
                                 String opening) implements TransferJob {
        @Override
        public void run(DataStreams data) throws IOException, StorageException {
            ListingWriter out = new ListingWriter(data.output());
            StringBuilder text = new StringBuilder(128);
            try {
                Iterator<T> iterator = entries.iterator();
                int seen = 0;
                while (iterator.hasNext()) {
                    T entry = iterator.next();
                    if (filter.test(entry)) {
                        text.setLength(0);
                        line.append(text, entry);
                        out.line(text);
                    }
                    if (++seen % YIELD_EVERY == 0) {
                        Thread.yield();
                    }
                }
            } catch (Listing.ListingFailure e) {
                out.flush();
                throw e.failure();
            }
            out.flush();
        }

        @Override
        public Reply complete() {
            return Reply.of(226, "Directory send OK.");
        }

        @Override
        public void release() {
            close.run();
        }
    }
}
