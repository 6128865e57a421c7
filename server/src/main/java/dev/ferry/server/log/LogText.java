package dev.ferry.server.log;

/**
 * Text on its way into a log line. Clients choose much of what Ferry logs (user names, command
 * lines, paths), and a control character in a log line can forge another line (CR, LF) or drive
 * the terminal of whoever reads the log (ESC starts ANSI sequences, and so does the C1 character
 * U+009B). So every log line with client text goes through {@link #escape}: the vsftpd-format and
 * xferlog lines ({@link LogFormats}), the JSON log ({@link JsonLog}), and every SLF4J line the
 * bundled logback.xml writes ({@link EscapedMessageConverter}, {@link EscapedThrowableConverter}).
 *
 * <p>vsftpd (logging.c, str_replace_unprintable) writes '?' instead; Ferry writes {@code \x1b}
 * so a reader can still tell what was sent. Backslashes are left alone, so escaping twice changes
 * nothing (a syslog line is escaped when formatted and again by the logging backend) and Windows
 * paths stay readable; the price is that a client can type the text {@code \x1b} itself, which is
 * no more than vsftpd's '?' tells.
 */
public final class LogText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogText() {
    }

    /**
     * {@code text} with every control character written as {@code \xHH} (C0, DEL and C1, so CR and
     * LF too), and the Unicode line separators and bidirectional controls as a backslash, 'u' and
     * four hex digits: they can break a line or reorder what a reader sees (CVE-2021-42574,
     * "Trojan Source").
     */
    public static String escape(String text) {
        return escape(text, false);
    }

    /**
     * As {@link #escape}, but LF and TAB stay: for text whose line breaks are meant, such as the
     * lines of a multi-line reply joined with LF.
     */
    public static String escapeKeepingLines(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepLines) {
        int first = 0;
        while (first < text.length() && !escaped(text.charAt(first), keepLines)) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!escaped(c, keepLines)) {
                out.append(c);
            } else if (c <= 0xff) {
                out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                out.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                        .append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    private static boolean escaped(char c, boolean keepLines) {
        if (keepLines && (c == '\n' || c == '\t')) {
            return false;
        }
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069';
    }
}
