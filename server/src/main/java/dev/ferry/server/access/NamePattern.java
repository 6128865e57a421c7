package dev.ferry.server.access;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A vsftpd file name pattern, as hide_file and deny_file take them: {@code *} any run of
 * characters, {@code ?} one character, {@code {a,b}} alternatives (which may hold patterns and nest,
 * e.g. {@code {*.mp3,*.mov,.private}}); everything else literal. vsftpd has no {@code [...]} classes
 * in these patterns, so brackets are literal too.
 */
public final class NamePattern {

    private final String text;
    private final Pattern regex;

    private NamePattern(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /** The pattern, or empty for the empty text (the directive unset). */
    public static Optional<NamePattern> parse(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '*' -> out.append(".*");
                case '?' -> out.append('.');
                case '{' -> {
                    depth++;
                    out.append("(?:");
                }
                case '}' -> {
                    if (depth == 0) {
                        throw new IllegalArgumentException("'}' without '{' in pattern '" + text + "'");
                    }
                    depth--;
                    out.append(')');
                }
                case ',' -> out.append(depth > 0 ? "|" : ",");
                default -> out.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("'{' without '}' in pattern '" + text + "'");
        }
        return Optional.of(new NamePattern(text, Pattern.compile(out.toString(), Pattern.DOTALL)));
    }

    /** Whether the whole of {@code name} matches. */
    public boolean matches(String name) {
        return regex.matcher(name).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
