package dev.ferry.server.command;

import dev.ferry.server.access.Right;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.protocol.Reply;
import dev.ferry.server.protocol.Request;
import dev.ferry.server.protocol.StorageReplies;
import dev.ferry.server.session.LoginState;
import dev.ferry.server.session.Session;
import dev.ferry.server.session.TransferType;
import dev.ferry.server.transfer.AsciiFilter;
import dev.ferry.server.transfer.Copier;
import dev.ferry.server.transfer.DataStreams;
import dev.ferry.server.transfer.TransferJob;
import dev.ferry.storage.Capability;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** RETR, STOR, STOU, APPE and ABOR. Files are opened here, bytes move on the transfer thread. */
public final class TransferCommands {

    private static final Logger LOG = LoggerFactory.getLogger(TransferCommands.class);

    /** vsftpd's reply to an upload it refuses. */
    private static final String CANNOT_CREATE = "Could not create file.";

    /** How many names STOU tries before it gives up. */
    private static final int UNIQUE_ATTEMPTS = 100;

    private TransferCommands() {
    }

    public static void retr(Session session, Request request) throws IOException {
        if (!request.hasArgument()) {
            session.reply(501, "RETR needs a file name.");
            return;
        }
        StoragePath visible = session.user().virtualPath(request.argument());
        if (!Guard.permit(session, Right.READ, visible)) {
            return;
        }
        long offset = session.restartOffset();
        ReadableByteChannel channel;
        FileInfo info;
        try {
            // what stat finds decides whether to open: one look-up for both where the storage can
            FileInfo[] found = new FileInfo[1];
            Optional<ReadableByteChannel> opened = session.user().storage().openRead(visible, offset, stat -> {
                found[0] = stat;
                return !stat.isDirectory() && worldReadable(session, stat) && offset <= stat.size();
            });
            info = found[0];
            if (opened.isEmpty()) {
                if (info.isDirectory()) {
                    session.reply(550, "Failed to open file: is a directory.");
                } else if (!worldReadable(session, info)) {
                    Guard.deny(session, "read (anon_world_readable_only)", visible, 550, "Failed to open file.");
                } else {
                    // RFC 3659 section 5.5: 554 for a REST position the file does not reach
                    session.reply(554, "Restart position " + offset + " is beyond the end of the file.");
                }
                return;
            }
            channel = opened.get();
        } catch (StorageException e) {
            if (storageSide(e)) {
                session.transfers().storageRefusedTransfer(false, visible, e);
            }
            session.reply(StorageReplies.reply(e, "Failed to open file"));
            return;
        }
        // vsftpd's ascii_download_enable: without it TYPE A downloads are sent unchanged
        boolean ascii = session.type() == TransferType.ASCII && session.config().get(CoreDirectives.ASCII_DOWNLOAD_ENABLE);
        String opening = "Opening " + session.type().label() + " mode data connection for "
                + visible.name() + " (" + info.size() + " bytes).";
        session.transfers().startFileTransfer(new Download(channel, ascii, opening, info.size() - offset),
                "RETR " + visible, false, visible);
    }

    /**
     * vsftpd's anon_world_readable_only: anonymous users only get files everybody may read. Storages
     * without Unix modes have nothing to check.
     */
    static boolean worldReadable(Session session, FileInfo info) {
        return !session.login().anonymousRights()
                || !session.config().get(CoreDirectives.ANON_WORLD_READABLE_ONLY)
                || info.permissions().map(mode -> (mode & 0004) != 0).orElse(true);
    }

    public static void stor(Session session, Request request) throws IOException {
        if (!request.hasArgument()) {
            session.reply(501, "STOR needs a file name.");
            return;
        }
        long offset = session.restartOffset();
        if (offset > 0 && !session.capabilities().contains(Capability.WRITE_AT_OFFSET)) {
            session.reply(502, "REST with STOR is not supported by this server's storage.");
            return;
        }
        StoragePath visible = session.user().virtualPath(request.argument());
        Optional<Boolean> exists = mayWrite(session, visible, offset > 0);
        if (exists.isEmpty()) {
            return;
        }
        if (offset > 0 && !reaches(session, visible, offset)) {
            return;
        }
        WriteMode mode = offset > 0 ? new WriteMode.ResumeAt(offset) : WriteMode.REPLACE;
        if (offset == 0 && !session.user().allows(Right.OVERWRITE, visible)
                && session.capabilities().contains(Capability.EXCLUSIVE_CREATE)) {
            // vsftpd opens anonymous uploads with O_EXCL: a file that appears between our check and
            // the open is still not replaced
            mode = WriteMode.CREATE_NEW;
        }
        upload(session, visible, mode, "Ok to send data.", "STOR");
    }

    /**
     * The write check of STOR and APPE: a new file needs write, an existing one (or any resume or
     * append to it) overwrite. vsftpd answers a refused upload {@code 553 Could not create file.}
     * Returns whether the file exists, or empty after a refusal.
     */
    private static Optional<Boolean> mayWrite(Session session, StoragePath visible, boolean modifies)
            throws IOException {
        if (!session.user().reachable(visible)) {
            Guard.deny(session, "write", visible, 553, CANNOT_CREATE);
            return Optional.empty();
        }
        boolean exists;
        try {
            exists = FileCommands.exists(session, visible);
        } catch (StorageException e) {
            session.reply(StorageReplies.reply(e, "Could not create file"));
            return Optional.empty();
        }
        Right right = exists || modifies ? Right.OVERWRITE : Right.WRITE;
        return Guard.permit(session, right, visible, 553, CANNOT_CREATE) ? Optional.of(exists) : Optional.empty();
    }

    /**
     * REST n + STOR resumes a file that already holds n bytes. A position the file does not reach
     * is the client's error, 554 (RFC 3659 section 5.5), as for RETR; without this check the
     * storage refuses the open and the client reads a 451 it would retry forever.
     */
    private static boolean reaches(Session session, StoragePath path, long offset) throws IOException {
        try {
            long size = session.user().storage().stat(path).size();
            if (size >= offset) {
                return true;
            }
            session.reply(554, "Restart position " + offset + " is beyond the end of the file (" + size + " bytes).");
        } catch (StorageException.NotFound e) {
            session.reply(554, "Restart position " + offset + " given for a file that does not exist.");
        } catch (StorageException e) {
            session.reply(StorageReplies.reply(e, "Could not create file"));
        }
        return false;
    }

    public static void appe(Session session, Request request) throws IOException {
        if (!request.hasArgument()) {
            session.reply(501, "APPE needs a file name.");
            return;
        }
        StoragePath visible = session.user().virtualPath(request.argument());
        if (mayWrite(session, visible, false).isEmpty()) {
            return;
        }
        upload(session, visible, WriteMode.APPEND, "Ok to send data.", "APPE");
    }

    /**
     * STOU (RFC 959 section 4.1.3): stores under a name of the server's choosing. With an
     * argument the name starts from it. The 150 reply is {@code 150 FILE: name} (RFC 1123 section
     * 4.1.2.9), which clients parse to learn the name.
     */
    public static void stou(Session session, Request request) throws IOException {
        StoragePath directory = session.user().cwd();
        String base = request.hasArgument() ? session.user().virtualPath(request.argument()).name() : "";
        if (request.hasArgument()) {
            directory = session.user().virtualPath(request.argument()).parent();
        }
        boolean exclusive = session.capabilities().contains(Capability.EXCLUSIVE_CREATE);
        for (int attempt = 0; attempt < UNIQUE_ATTEMPTS; attempt++) {
            String name = base.isEmpty() ? "ferry-" + UUID.randomUUID().toString().substring(0, 8)
                    : attempt == 0 ? base : base + "." + attempt;
            StoragePath visible = directory.child(name);
            // the name STOU makes must pass deny_file like any other (vsftpd checks the final name)
            if (!Guard.permit(session, Right.WRITE, visible, 553, CANNOT_CREATE)) {
                return;
            }
            try {
                if (!exclusive && FileCommands.exists(session, visible)) {
                    continue;
                }
                Upload upload = openUpload(session, visible, exclusive ? WriteMode.CREATE_NEW : WriteMode.REPLACE);
                session.transfers().startFileTransfer(new Store(upload, asciiUpload(session), "FILE: " + name),
                        "STOU " + visible, true, visible);
                return;
            } catch (StorageException.AlreadyExists taken) {
                // somebody holds this name: try the next one
            } catch (StorageException e) {
                session.reply(StorageReplies.reply(e, "Could not create file"));
                return;
            }
        }
        session.reply(553, "Could not create file: no unique name found.");
    }

    /**
     * Opens an upload with file_open_mode minus the umask. vsftpd's chown_uploads (postlogin.c): a
     * session with anonymous rights (anonymous, or a guest without virtual_use_local_privs) gets
     * chown_upload_mode as it is and chown_username as the owner instead, both from the temporary
     * file on, so the file is never published as anything else. A storage that cannot give it
     * away fails the upload before any byte is sent.
     */
    private static Upload openUpload(Session session, StoragePath visible, WriteMode mode) throws StorageException {
        boolean chown = session.config().get(CoreDirectives.CHOWN_UPLOADS) && session.login().anonymousRights();
        OptionalInt permissions = chown ? Modes.exactly(session, session.config().get(CoreDirectives.CHOWN_UPLOAD_MODE))
                : Modes.forFile(session);
        Upload upload = session.user().storage().openWrite(visible, mode, permissions);
        if (chown) {
            String owner = session.config().get(CoreDirectives.CHOWN_USERNAME);
            try {
                upload.giveTo(owner);
            } catch (StorageException e) {
                upload.close();
                LOG.error("upload of {} refused: chown_uploads cannot give it to '{}': {}", visible, owner,
                        e.getMessage());
                throw e;
            }
        }
        return upload;
    }

    /** {@code visible} is the file as the client sees it; the file gets file_open_mode minus the umask from its first byte. */
    private static void upload(Session session, StoragePath visible, WriteMode mode, String opening, String verb)
            throws IOException {
        Upload upload;
        try {
            upload = openUpload(session, visible, mode);
        } catch (StorageException.AlreadyExists e) {
            session.reply(553, CANNOT_CREATE); // vsftpd's reply when O_EXCL finds the file
            return;
        } catch (StorageException e) {
            if (storageSide(e)) {
                session.transfers().storageRefusedTransfer(true, visible, e);
            }
            session.reply(StorageReplies.reply(e, "Could not create file"));
            return;
        }
        session.transfers().startFileTransfer(new Store(upload, asciiUpload(session), opening), verb + " " + visible, true, visible);
    }

    /**
     * A failure of the storage itself (an outage, a full disk, a refused connection), as opposed
     * to an answer about the file (absent, a directory, not allowed): a failed transfer to log.
     */
    private static boolean storageSide(StorageException e) {
        return e instanceof StorageException.Transient || e instanceof StorageException.Failed
                || e instanceof StorageException.InsufficientSpace;
    }

    /** vsftpd's ascii_upload_enable: without it TYPE A uploads are stored unchanged. */
    private static boolean asciiUpload(Session session) {
        return session.type() == TransferType.ASCII && session.config().get(CoreDirectives.ASCII_UPLOAD_ENABLE);
    }

    /**
     * ABOR (RFC 959 section 4.1.3): a running transfer is cut and answers 426, then ABOR answers
     * 226; with nothing running, 225.
     */
    public static void abor(Session session, Request request) throws IOException {
        var transfer = session.transfers().transfer();
        if (transfer.isPresent()) {
            transfer.get().abort();
            session.reply(226, "ABOR successful.");
        } else {
            session.closeDataEndpoint();
            session.reply(225, "No transfer to ABOR.");
        }
    }

    /**
     * RETR: storage to network. A file the storage opened as a {@link FileChannel} (local disk)
     * goes out with sendfile when the data connection allows it (plain, no download limit) and
     * TYPE A does not convert it; everything else through the stream copy.
     */
    private record Download(ReadableByteChannel channel, boolean ascii, String opening, long size)
            implements TransferJob {

        /**
         * A file of local disk this small goes into a fresh TCP connection's send buffer whole
         * (Linux starts it at net.ipv4.tcp_wmem's default, 16 KiB), so sending it never waits for
         * the client: it may run on the control thread (Transfer.start).
         */
        static final long SMALL = 16 * 1024;

        @Override
        public boolean small() {
            return !ascii && size <= SMALL && channel instanceof FileChannel;
        }

        @Override
        public void run(DataStreams data) throws IOException {
            if (!ascii && channel instanceof FileChannel file && data.files().isPresent()) {
                data.files().get().send(file);
                return;
            }
            Copier.download(channel, data.output(), ascii ? new AsciiFilter.ToNetwork() : null);
        }

        @Override
        public Reply complete() {
            return Reply.of(226, "Transfer complete.");
        }

        @Override
        public void release() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read side only: nothing is lost
            }
        }
    }

    /** STOR, APPE, STOU: network to storage; the 226 is sent only once the upload is committed. */
    private record Store(Upload upload, boolean ascii, String opening) implements TransferJob {
        @Override
        public void run(DataStreams data) throws IOException, StorageException {
            if (!ascii && data.receiver().isPresent()) {
                data.receiver().get().receive(upload.stream());
                return;
            }
            Copier.upload(data.input(), upload.stream(), ascii ? new AsciiFilter.FromNetwork() : null);
        }

        @Override
        public Reply complete() throws StorageException {
            upload.commit();
            return Reply.of(226, "Transfer complete.");
        }

        @Override
        public void release() {
            upload.close();
        }

        @Override
        public Reply storageFailure() {
            return Reply.of(451, "Failure writing to local file.");
        }
    }
}
