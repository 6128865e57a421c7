package dev.ferry.server.log;

import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.log.LogFormats.Event;
import dev.ferry.server.log.LogFormats.Kind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vsftpd's logs (logging.c), routed as vsftpd routes them: with xferlog_enable, transfers go to
 * vsftpd_log_file in vsftpd's format, or with xferlog_std_format to xferlog_file in wu-ftpd's
 * format; dual_log_enable writes both; syslog_enable sends the vsftpd-format lines to the logger
 * {@value #SYSLOG_LOGGER} instead of the file (route it to syslog in the logging backend);
 * log_ftp_protocol adds every command and reply. Connections and logins are logged wherever
 * vsftpd-format lines go. Besides these, Ferry's json_log_enable records every command with its
 * final reply as one JSON object ({@link JsonLog}).
 *
 * <p>Callers only format a line and queue it ({@link LogFile}): nothing here blocks a transfer.
 */
public final class ActivityLog implements AutoCloseable {

    /** The SLF4J logger that syslog_enable writes to. */
    public static final String SYSLOG_LOGGER = "dev.ferry.syslog";
    private static final Logger SYSLOG = LoggerFactory.getLogger(SYSLOG_LOGGER);
    /** The SLF4J logger that json_log_enable writes to. */
    public static final String JSON_LOGGER = "dev.ferry.json";

    /** Logs nothing. */
    public static final ActivityLog NONE = new ActivityLog(Optional.empty(), Optional.empty(), false, false,
            Optional.empty(), Clock.systemDefaultZone());

    private final Optional<LogFile> xferlog;
    private final Optional<LogFile> vsftpdLog;
    private final boolean syslog;
    private final boolean protocol;
    private final Optional<JsonLog> json;
    private final Clock clock;

    private ActivityLog(Optional<LogFile> xferlog, Optional<LogFile> vsftpdLog, boolean syslog, boolean protocol,
                        Optional<JsonLog> json, Clock clock) {
        this.xferlog = xferlog;
        this.vsftpdLog = vsftpdLog;
        this.syslog = syslog;
        this.protocol = protocol;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Opens the files {@code config} asks for; a file that cannot be opened stops the server, as in
     * vsftpd. {@code json} (json_log_enable) belongs to the server, which opens it once and closes
     * it at stop: the logger it writes to is one for the whole JVM, so every log of every
     * configuration a reload brings shares it.
     */
    public static ActivityLog open(ServerConfig config, Optional<JsonLog> json) throws IOException {
        boolean enabled = config.get(CoreDirectives.XFERLOG_ENABLE) || config.get(CoreDirectives.DUAL_LOG_ENABLE);
        boolean dual = config.get(CoreDirectives.DUAL_LOG_ENABLE);
        boolean standard = config.get(CoreDirectives.XFERLOG_STD_FORMAT);
        boolean syslog = config.get(CoreDirectives.SYSLOG_ENABLE);
        Optional<LogFile> xferlog = Optional.empty();
        Optional<LogFile> vsftpdLog = Optional.empty();
        try {
            if (enabled && (dual || standard)) {
                xferlog = Optional.of(open("xferlog_file", config.get(CoreDirectives.XFERLOG_FILE)));
            }
            if (enabled && (dual || !standard) && !syslog) {
                vsftpdLog = Optional.of(open("vsftpd_log_file", config.get(CoreDirectives.VSFTPD_LOG_FILE)));
            }
        } catch (IOException e) {
            xferlog.ifPresent(LogFile::close);
            vsftpdLog.ifPresent(LogFile::close);
            throw e;
        }
        if (xferlog.isEmpty() && vsftpdLog.isEmpty() && !syslog && json.isEmpty()) {
            return NONE;
        }
        return new ActivityLog(xferlog, vsftpdLog, syslog, config.get(CoreDirectives.LOG_FTP_PROTOCOL), json,
                Clock.systemDefaultZone());
    }

    private static LogFile open(String directive, Optional<Path> path) throws IOException {
        if (path.isEmpty()) {
            throw new IOException(directive + " is empty; name a file");
        }
        try {
            return LogFile.open(path.get());
        } catch (IOException e) {
            throw new IOException("cannot open " + directive + "=" + path.get() + ": " + e, e);
        }
    }

    /** Whether commands and replies are logged (log_ftp_protocol with somewhere to write them). */
    public boolean logsProtocol() {
        return protocol && (vsftpdLog.isPresent() || syslog);
    }

    public void connect(long session, String client) {
        event(new Event(Kind.CONNECT, true, session, "", client, "", "", 0, 0));
    }

    /** A login attempt; {@code anonPassword} is the e-mail an anonymous user gave, else empty. */
    public void login(long session, String user, String client, boolean ok, String anonPassword) {
        event(new Event(Kind.LOGIN, ok, session, user, client, anonPassword, "", 0, 0));
    }

    /** One command line as received; a password is replaced as vsftpd does. */
    public void command(long session, String user, String client, String line) {
        if (logsProtocol()) {
            event(new Event(Kind.FTP_INPUT, true, session, user, client, "", hidePassword(line), 0, 0));
        }
    }

    /** A command line as the logs show it: vsftpd's "PASS <password>" instead of a password. */
    static String hidePassword(String line) {
        return line.regionMatches(true, 0, "PASS ", 0, 5) || line.equalsIgnoreCase("PASS") ? "PASS <password>" : line;
    }

    /** Whether {@link #finished} writes anything (json_log_enable). */
    public boolean logsCommands() {
        return json.isPresent();
    }

    /** json_log_enable: one command with its final reply, the PASS argument hidden. */
    public void finished(CommandRecord record) {
        json.ifPresent(log -> log.record(record));
    }

    /** One reply line as sent (vsftpd logs each line of a multi-line reply). */
    public void reply(long session, String user, String client, String line) {
        if (logsProtocol()) {
            event(new Event(Kind.FTP_OUTPUT, true, session, user, client, "", line, 0, 0));
        }
    }

    /** What vsftpd calls the other log entries. */
    public enum Action { MKDIR, RMDIR, DELETE, RENAME, CHMOD }

    /** A change to the file tree; {@code text} is the path (for RENAME "from to"). */
    public void action(long session, String user, String client, Action action, boolean ok, String text) {
        Kind kind = switch (action) {
            case MKDIR -> Kind.MKDIR;
            case RMDIR -> Kind.RMDIR;
            case DELETE -> Kind.DELETE;
            case RENAME -> Kind.RENAME;
            case CHMOD -> Kind.CHMOD;
        };
        event(new Event(kind, ok, session, user, client, "", text, 0, 0));
    }

    /** One finished file transfer: an xferlog line and a vsftpd-format line, as configured. */
    public void transfer(TransferRecord record, long bytes, boolean complete, double seconds) {
        if (xferlog.isPresent()) {
            String line = LogFormats.xferlog(record, bytes, complete, clock.millis(), clock.getZone());
            xferlog.get().append(line);
        }
        event(new Event(record.upload() ? Kind.UPLOAD : Kind.DOWNLOAD, complete, record.session(), record.user(),
                record.client(), "", record.path(), bytes, seconds));
    }

    private void event(Event event) {
        if (vsftpdLog.isPresent()) {
            vsftpdLog.get().append(LogFormats.vsftpd(event, true, Instant.now(clock), clock.getZone()));
        }
        if (syslog) {
            String line = LogFormats.vsftpd(event, false, Instant.now(clock), clock.getZone());
            // logging.c: only a failed login is "severe"
            if (event.kind() == Kind.LOGIN && !event.ok()) {
                SYSLOG.warn(line);
            } else {
                SYSLOG.info(line);
            }
        }
    }

    @Override
    public void close() {
        xferlog.ifPresent(LogFile::close);
        vsftpdLog.ifPresent(LogFile::close);
    }
}
