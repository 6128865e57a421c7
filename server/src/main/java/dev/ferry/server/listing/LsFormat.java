package dev.ferry.server.listing;

import dev.ferry.storage.FileInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * LIST lines in the {@code ls -l} form that FTP clients parse (Commons Net's UnixFTPEntryParser,
 * curl, lftp, FileZilla), laid out like vsftpd's {@code vsf_ls_build_dir_line}:
 * <pre>
 * drwxr-xr-x    1 ftp      ftp          4096 Nov 24 12:00 name
 * -rw-r--r--    1 ftp      ftp       1048576 Nov 24  2025 name
 * </pre>
 * RFC 959 does not define the LIST format; clients guess it from the first line, and the Unix form
 * is the one every parser knows. Lines have no terminator: the caller writes CRLF (RFC 959 section
 * 3.1.1.1, ASCII type). Pure formatting, no IO.
 */
public final class LsFormat {

    /**
     * vsftpd prints the year instead of the time when the file is older than 182 days
     * ({@code 60*60*24*182} in its sysutil.c); GNU ls uses half a Gregorian year. Either way a
     * client reading {@code MMM dd HH:mm} assumes the current year, or the one before when that
     * would put the date in the future.
     */
    static final Duration RECENT = Duration.ofDays(182);

    /**
     * vsftpd and ls show any future time with its year. A few minutes ahead are allowed as
     * recent here: clocks of remote backends (S3, SFTP) run a little ahead of ours, and a file
     * just uploaded should still show its time. Commons Net accepts up to a day ahead.
     */
    static final Duration FUTURE_SLACK = Duration.ofMinutes(5);

    /** The owner and group columns (vsftpd's hide_ids shows {@link #FTP}). */
    public record Owner(String user, String group) {
        /** vsftpd's columns with hide_ids=YES. */
        public static final Owner FTP = new Owner("ftp", "ftp");
    }

    /**
     * What ls shows for a directory on ext4. {@link FileInfo} reports 0 for directories; 4096 is
     * what users and scripts expect to see from vsftpd, and clients ignore directory sizes.
     */
    private static final long DIRECTORY_SIZE = 4096;

    /** English abbreviations whatever the default locale, as vsftpd's C locale prints them. */
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    private LsFormat() {
    }

    /** The LIST line for {@code info}, named by its own name. */
    public static String line(FileInfo info, Instant now) {
        return line(info, info.name(), now);
    }

    /**
     * The LIST line for {@code info} showing {@code name}, e.g. the path as the client gave it to
     * {@code LIST path/file}, as vsftpd does. Names are kept exactly, spaces and UTF-8 included:
     * the parsers take everything after the time or year as the name.
     *
     * @param now the time the listing is made, for the six-month rule; times are shown in UTC as
     *            vsftpd does with its default use_localtime=NO
     */
    public static String line(FileInfo info, String name, Instant now) {
        return line(info, name, Owner.FTP, now);
    }

    /** The LIST line for {@code info} showing {@code name} and {@code owner}'s columns. */
    public static String line(FileInfo info, String name, Owner owner, Instant now) {
        return line(info, name, owner, now, ZoneOffset.UTC);
    }

    /** The LIST line with times in {@code zone}: vsftpd's use_localtime shows the server's own zone. */
    public static String line(FileInfo info, String name, Owner owner, Instant now, ZoneId zone) {
        StringBuilder out = new StringBuilder(64 + name.length());
        append(out, info, name, owner, now, zone);
        return out.toString();
    }

    /**
     * Appends the LIST line to {@code out}: a listing formats every entry into one reused builder
     * ({@link ListingWriter}), so this makes no string of its own.
     */
    public static void append(StringBuilder out, FileInfo info, String name, Owner owner, Instant now) {
        append(out, info, name, owner, now, ZoneOffset.UTC);
    }

    /** {@link #append(StringBuilder, FileInfo, String, Owner, Instant)} with times in {@code zone} (use_localtime). */
    public static void append(StringBuilder out, FileInfo info, String name, Owner owner, Instant now, ZoneId zone) {
        new Lines(owner, now, zone).append(out, info, name);
    }

    /**
     * The LIST lines of one listing, whose owner, time and zone are the same for every entry: the
     * owner columns and the six-month bound are worked out once, and the time column of the last
     * entry is kept for the next, which often has the same second (an unpacked archive, a mirror
     * run). Per entry that leaves the mode (a shared text per mode), the size and the name.
     * One per listing; not for several threads.
     */
    public static final class Lines {

        private final Instant now;
        private final ZoneId zone;
        /** {@code now} minus {@link #RECENT}: a past time after it is recent. */
        private final Instant recentAfter;
        /** vsftpd: " %4d" link count, owner and group left-aligned in 8, then a blank. */
        private final String owners;
        private final StringBuilder time = new StringBuilder(12);
        private long timeSecond = Long.MIN_VALUE;
        private boolean timeRecent;

        public Lines(Owner owner, Instant now, ZoneId zone) {
            this.now = now;
            this.zone = zone;
            this.recentAfter = now.minus(RECENT);
            StringBuilder columns = new StringBuilder(32).append("    1 ");
            padRight(columns, owner.user(), 8);
            columns.append(' ');
            padRight(columns, owner.group(), 8);
            this.owners = columns.append(' ').toString();
        }

        /** Appends the line for {@code info} showing {@code name}; no string of its own per entry. */
        public void append(StringBuilder out, FileInfo info, String name) {
            out.append(permissionText(info)).append(owners);
            // size right-aligned in 8
            long size = info.isDirectory() ? DIRECTORY_SIZE : info.size();
            out.repeat(' ', Math.max(0, 8 - digits(size))).append(size);
            out.append(' ');
            Instant modified = info.modified();
            boolean recent = modified.isAfter(now) ? isRecent(modified, now, zone) : modified.isAfter(recentAfter);
            // the text depends on the second (minutes shown, or the year) and on recent
            long second = shown(modified).getEpochSecond();
            if (second != timeSecond || recent != timeRecent) {
                time.setLength(0);
                appendTime(time, modified, recent, zone);
                timeSecond = second;
                timeRecent = recent;
            }
            out.append(time).append(' ').append(name);
        }
    }

    /** The number of characters of {@code value} in decimal (a size: never negative). */
    static int digits(long value) {
        if (value < 0) {
            return Long.toString(value).length();
        }
        int n = 1;
        for (long v = value; v >= 10; v /= 10) {
            n++;
        }
        return n;
    }

    /**
     * The NLST line for {@code info}: the bare name (RFC 959 section 4.1.3, "a list of file
     * names"); no class of its own for that.
     */
    public static String nlst(FileInfo info) {
        return info.name();
    }

    /**
     * The ten-character mode: type, then rwx for owner, group, others, with setuid, setgid and
     * sticky shown as s/S and t/T like ls. Storages without Unix modes get vsftpd's usual
     * {@code drwxr-xr-x} / {@code -rw-r--r--}.
     */
    static String permissions(FileInfo info) {
        return permissionText(info);
    }

    /** Made on first use per type and mode (2 x 4096), then shared: a listing's entries mostly share a few. */
    private static final String[][] PERMISSION_TEXTS = new String[2][07777 + 1];

    private static String permissionText(FileInfo info) {
        int mode = info.permissions().orElse(info.isDirectory() ? 0755 : 0644) & 07777;
        String[] texts = PERMISSION_TEXTS[info.isDirectory() ? 1 : 0];
        String text = texts[mode];
        if (text == null) {
            // a race makes the same text twice; either copy is fine
            text = permissionText(info.isDirectory(), mode);
            texts[mode] = text;
        }
        return text;
    }

    private static String permissionText(boolean directory, int mode) {
        char[] out = new char[10];
        out[0] = directory ? 'd' : '-';
        for (int who = 0; who < 3; who++) {
            int bits = mode >> (6 - 3 * who);
            out[1 + 3 * who] = (bits & 4) != 0 ? 'r' : '-';
            out[2 + 3 * who] = (bits & 2) != 0 ? 'w' : '-';
            out[3 + 3 * who] = (bits & 1) != 0 ? 'x' : '-';
        }
        special(out, 3, (mode & 04000) != 0, 's');
        special(out, 6, (mode & 02000) != 0, 's');
        special(out, 9, (mode & 01000) != 0, 't');
        return new String(out);
    }

    private static void special(char[] out, int index, boolean set, char letter) {
        if (set) {
            out[index] = out[index] == 'x' ? letter : Character.toUpperCase(letter);
        }
    }

    /** {@code MMM dd HH:mm} for recent times, else {@code MMM dd  yyyy} (two blanks: same width). */
    static void appendTime(StringBuilder out, Instant modified, Instant now) {
        appendTime(out, modified, now, ZoneOffset.UTC);
    }

    static void appendTime(StringBuilder out, Instant modified, Instant now, ZoneId zone) {
        appendTime(out, modified, isRecent(modified, now, zone), zone);
    }

    private static void appendTime(StringBuilder out, Instant modified, boolean recent, ZoneId zone) {
        LocalDateTime t = LocalDateTime.ofInstant(shown(modified), zone);
        out.append(MONTHS[t.getMonthValue() - 1]).append(' ');
        // vsftpd formats the day with strftime %d: zero-padded, where GNU ls pads with a blank.
        twoDigits(out, t.getDayOfMonth());
        out.append(' ');
        if (recent) {
            twoDigits(out, t.getHour());
            out.append(':');
            twoDigits(out, t.getMinute());
        } else {
            out.append(' ');
            padLeft(out, Integer.toString(t.getYear()), 4);
        }
    }

    /**
     * 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999999999Z as numbers: Instant.parse loaded the
     * whole DateTimeFormatter machinery into the server's first LIST.
     */
    private static final Instant FIRST_SHOWN = Instant.ofEpochSecond(-62_167_219_200L);
    private static final Instant LAST_SHOWN = Instant.ofEpochSecond(253_402_300_799L, 999_999_999);

    /**
     * The time a listing shows: within years 0000 to 9999. A backend may report any Instant (a
     * FileTime beyond Instant's range becomes Instant.MIN or MAX), and LocalDateTime cannot hold
     * those (DateTimeException: the whole listing failed) while RFC 3659's time-val has four
     * year digits (found by fuzzing).
     */
    static Instant shown(Instant modified) {
        return modified.isBefore(FIRST_SHOWN) ? FIRST_SHOWN : modified.isAfter(LAST_SHOWN) ? LAST_SHOWN : modified;
    }

    /**
     * Within the past six months, or at most {@link #FUTURE_SLACK} ahead and in the same year: a
     * time without a year is read as this year, so a file from just after New Year seen from just
     * before must show its year.
     */
    static boolean isRecent(Instant modified, Instant now) {
        return isRecent(modified, now, ZoneOffset.UTC);
    }

    static boolean isRecent(Instant modified, Instant now, ZoneId zone) {
        if (modified.isAfter(now)) {
            return !modified.isAfter(now.plus(FUTURE_SLACK))
                    && LocalDateTime.ofInstant(modified, zone).getYear()
                            == LocalDateTime.ofInstant(now, zone).getYear();
        }
        return modified.isAfter(now.minus(RECENT));
    }

    private static void twoDigits(StringBuilder out, int value) {
        if (value < 10) {
            out.append('0');
        }
        out.append(value);
    }

    private static void padLeft(StringBuilder out, String text, int width) {
        out.repeat(' ', Math.max(0, width - text.length())).append(text);
    }

    private static void padRight(StringBuilder out, String text, int width) {
        out.append(text).repeat(' ', Math.max(0, width - text.length()));
    }
}
