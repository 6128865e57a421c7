package dev.ferry.server.access;

import java.util.Optional;

/**
 * A vsftpd file name pattern, as hide_file and deny_file take them: {@code *} any run of
 * characters, {@code ?} one character, {@code {a,b}} alternatives (which may hold patterns and nest,
 * e.g. {@code {*.mp3,*.mov,.private}}); everything else literal. vsftpd has no {@code [...]} classes
 * in these patterns, so brackets are literal too. Matched by {@link Wildcard}, in time linear in
 * the name: the names are the clients' (uploads, links), and a listing matches every one of them.
 */
public final class NamePattern {

    private final Wildcard wildcard;

    private NamePattern(Wildcard wildcard) {
        this.wildcard = wildcard;
    }

    /** The pattern, or empty for the empty text (the directive unset). */
    public static Optional<NamePattern> parse(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new NamePattern(Wildcard.vsftpd(text)));
    }

    /** Whether the whole of {@code name} matches. */
    public boolean matches(String name) {
        return wildcard.matches(name);
    }

    @Override
    public String toString() {
        return wildcard.toString();
    }
}
