package dev.ferry.server.log;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The two line formats of vsftpd's logging.c, byte for byte where the content is printable ASCII:
 * wu-ftpd's xferlog and vsftpd's own. Where vsftpd writes '?' for a control character
 * (str_replace_unprintable), these lines have it escaped ({@link LogText}).
 */
final class LogFormats {

    /** vsftpd's date: strftime "%a %b %e %H:%M:%S %Y" in local time, the day padded with a space. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

    private LogFormats() {
    }

    static String date(Instant when, ZoneId zone) {
        return DATE.format(when.atZone(zone));
    }

    /**
     * An xferlog line: date, seconds (at least 1), client, bytes, file name (spaces as '_'), a/b,
     * special action '_', direction i/o, access mode a/r and identity, "ftp 0 *", then c or i.
     */
    static String xferlog(TransferRecord record, long bytes, boolean complete, long endMillis, ZoneId zone) {
        long seconds = Math.max(1, endMillis / 1000 - record.startMillis() / 1000);
        return LogText.escape(date(Instant.ofEpochMilli(endMillis), zone) + ' ' + seconds + ' ' + record.client() + ' '
                + bytes + ' ' + record.path().replace(' ', '_') + ' ' + (record.ascii() ? 'a' : 'b') + " _ "
                + (record.upload() ? 'i' : 'o') + ' ' + record.access() + ' ' + record.identity()
                + " ftp 0 * " + (complete ? 'c' : 'i'));
    }

    /** What a vsftpd-format line is about (logging.c's kVSFLogEntry*). */
    enum Kind {
        DOWNLOAD("DOWNLOAD", true), UPLOAD("UPLOAD", true), MKDIR("MKDIR", true), LOGIN("LOGIN", true),
        FTP_INPUT("FTP command", false), FTP_OUTPUT("FTP response", false), CONNECT("CONNECT", false),
        DELETE("DELETE", true), RENAME("RENAME", true), RMDIR("RMDIR", true), CHMOD("CHMOD", true);

        final String label;
        /** Whether the line says OK or FAIL. */
        final boolean outcome;

        Kind(String label, boolean outcome) {
            this.label = label;
            this.outcome = outcome;
        }

        boolean transfer() {
            return this == DOWNLOAD || this == UPLOAD;
        }
    }

    /** One event in vsftpd's format, as logging.c's vsf_log_do_log_vsftpd_format builds it. */
    record Event(Kind kind, boolean ok, long session, String user, String client, String anonPassword,
                 String text, long bytes, double seconds) {
    }

    /**
     * vsftpd's own format. {@code header} adds the date and "[pid N]" (not in syslog lines);
     * Ferry puts the session id where vsftpd, one process per session, puts the process id.
     */
    static String vsftpd(Event event, boolean header, Instant now, ZoneId zone) {
        StringBuilder line = new StringBuilder(128);
        if (header) {
            line.append(date(now, zone)).append(" [pid ").append(event.session()).append("] ");
        }
        if (!event.user().isEmpty()) {
            line.append('[').append(event.user()).append("] ");
        }
        if (event.kind().outcome) {
            line.append(event.ok() ? "OK " : "FAIL ");
        }
        line.append(event.kind().label).append(": Client \"").append(event.client()).append('"');
        if (event.kind() == Kind.LOGIN && !event.anonPassword().isEmpty()) {
            line.append(", anon password \"").append(event.anonPassword()).append('"');
        }
        if (!event.text().isEmpty()) {
            line.append(", \"").append(event.text()).append('"');
        }
        if (event.kind() != Kind.FTP_INPUT && event.kind() != Kind.FTP_OUTPUT) {
            if (event.bytes() != 0) {
                line.append(", ").append(event.bytes()).append(" bytes");
            }
            if (event.kind().transfer()) {
                double seconds = event.seconds() <= 0 ? 0.1 : event.seconds();
                line.append(", ").append(String.format(Locale.ROOT, "%.2f", event.bytes() / seconds / 1024))
                        .append("Kbyte/sec");
            }
        }
        return LogText.escape(line.toString());
    }
}
