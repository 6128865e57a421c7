package dev.ferry.server.protocol;

import java.util.List;

/**
 * One FTP reply. A multi-line reply follows RFC 959 section 4.2: {@code 211-first}, then the
 * middle lines, then {@code 211 last}; middle lines that start with a digit are indented by a
 * space so no client mistakes them for the end.
 */
public record Reply(int code, List<String> lines) {

    public Reply {
        if (code < 100 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs text");
        }
    }

    public static Reply of(int code, String text) {
        return new Reply(code, List.of(text));
    }

    /** {@code first} and {@code last} carry the code; {@code middle} lines go between them. */
    public static Reply multi(int code, String first, List<String> middle, String last) {
        var all = new java.util.ArrayList<String>(middle.size() + 2);
        all.add(first);
        all.addAll(middle);
        all.add(last);
        return new Reply(code, all);
    }

    public boolean isPositive() {
        return code < 400;
    }

    /** The reply as sent on the wire, CRLF-terminated lines. */
    public String wire() {
        var out = new StringBuilder();
        if (lines.size() == 1) {
            return out.append(code).append(' ').append(clean(lines.getFirst())).append("\r\n").toString();
        }
        out.append(firstLine(code, lines.getFirst()));
        for (String middle : lines.subList(1, lines.size() - 1)) {
            out.append(middleLine(middle));
        }
        return out.append(lastLine(code, lines.getLast())).toString();
    }

    /** The opening line of a multi-line reply, {@code 212-text}, CRLF-terminated. */
    static String firstLine(int code, String text) {
        return code + "-" + clean(text) + "\r\n";
    }

    /** A middle line: indented by a space when it starts with a digit, so no client takes it for the end. */
    static String middleLine(String line) {
        String text = clean(line);
        return (!text.isEmpty() && Character.isDigit(text.charAt(0)) ? " " : "") + text + "\r\n";
    }

    /** The closing line, {@code 212 text}, CRLF-terminated. */
    static String lastLine(int code, String text) {
        return code + " " + clean(text) + "\r\n";
    }

    /** A name with CR or LF must not end the reply early (RFC 959 section 3.1.1.5). */
    private static String clean(String text) {
        return text.indexOf('\r') < 0 && text.indexOf('\n') < 0 ? text : text.replace('\r', ' ').replace('\n', ' ');
    }

    @Override
    public String toString() {
        return wire().stripTrailing();
    }
}
