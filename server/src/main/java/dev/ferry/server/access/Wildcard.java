package dev.ferry.server.access;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A file name pattern matched without backtracking. java.util.regex backtracks: {@code .*.*.*.*.*.*!}
 * took seconds against one 60-character name, on a virtual thread that nothing preempts
 * (DESIGN.md). Here a pattern is one or more alternative sequences of characters, classes,
 * {@code ?} and {@code *}, and a name runs through all of them at once with the bit-parallel
 * Shift-And algorithm: one bit per position of the pattern, updated a machine word at a time for
 * each character of the name. A match costs (name length) x (pattern positions / 64) steps,
 * whatever the pattern.
 *
 * <p>Two dialects: {@link #glob} for the patterns clients send with LIST, NLST and STAT, and
 * {@link #vsftpd} for hide_file and deny_file. Both match whole names, code point by code point,
 * case-sensitively.
 */
public final class Wildcard {

    /** The longest pattern a client may send: a name is at most 255 bytes on common file systems. */
    public static final int MAX_LENGTH = 256;
    /** The most {@code *} a client pattern may hold; more never helps to pick a file. */
    public static final int MAX_STARS = 16;
    /**
     * The most positions a vsftpd pattern may have once its braces are expanded (each alternative
     * one per character, plus one): nested groups multiply ({@code {a,b}{a,b}...}), and every 64
     * positions cost a machine word per character of each name.
     */
    public static final int MAX_POSITIONS = 4096;

    private final String text;
    private final ShiftAnd automaton;

    private Wildcard(String text, ShiftAnd automaton) {
        this.text = text;
        this.automaton = automaton;
    }

    /** A client's pattern was refused before it was compiled: too long, or too many stars. */
    public static final class TooComplex extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        TooComplex(String message) {
            super(message);
        }
    }

    /**
     * A shell pattern as LIST, NLST and STAT take it: {@code *} any run of characters, {@code ?}
     * one character, {@code [abc]}, {@code [a-z]} and {@code [!a-z]} or {@code [^a-z]} one
     * character of (or not of) a class; everything else literal. A {@code [} without a {@code ]}
     * is literal; a class that cannot match ({@code []}, {@code [!]}, {@code [z-a]}) makes the
     * whole pattern literal text, as no shell would match anything with it.
     *
     * @throws TooComplex over {@link #MAX_LENGTH} characters or {@link #MAX_STARS} stars
     */
    public static Wildcard glob(String pattern) {
        if (pattern.length() > MAX_LENGTH) {
            throw new TooComplex("Pattern too long: at most " + MAX_LENGTH + " characters.");
        }
        if (pattern.chars().filter(c -> c == '*').count() > MAX_STARS) {
            throw new TooComplex("Pattern too complex: at most " + MAX_STARS + " '*'.");
        }
        int[] points = pattern.codePoints().toArray();
        int[] tokens = new int[points.length];
        int n = 0;
        List<CharClass> classes = new ArrayList<>();
        for (int i = 0; i < points.length; i++) {
            int c = points[i];
            int end = c == '[' ? indexOf(points, ']', i + 1) : -1;
            if (end >= 0) {
                CharClass members = CharClass.parse(points, i + 1, end);
                if (members == null) {
                    return new Wildcard(pattern, new ShiftAnd(List.of(points), List.of()));
                }
                classes.add(members);
                tokens[n++] = ShiftAnd.CLASS - (classes.size() - 1);
                i = end;
            } else {
                tokens[n++] = c == '*' ? ShiftAnd.STAR : c == '?' ? ShiftAnd.ANY : c;
            }
        }
        return new Wildcard(pattern, new ShiftAnd(List.of(Arrays.copyOf(tokens, n)), classes));
    }

    /**
     * vsftpd's hide_file and deny_file syntax: {@code *}, {@code ?} and {@code {a,b}} alternatives,
     * which may hold patterns and nest; a comma outside braces and everything else is literal
     * (vsftpd has no {@code [...]} classes here).
     *
     * @throws IllegalArgumentException when the braces do not pair up, or the pattern has more than
     *                                  {@link #MAX_POSITIONS} positions once they are expanded
     */
    public static Wildcard vsftpd(String pattern) {
        Braces braces = new Braces(pattern);
        List<int[]> expanded = braces.sequence(false);
        if (braces.at < braces.points.length) {
            throw new IllegalArgumentException("'}' without '{' in pattern '" + pattern + "'");
        }
        return new Wildcard(pattern, new ShiftAnd(expanded, List.of()));
    }

    private static int indexOf(int[] points, int c, int from) {
        for (int i = from; i < points.length; i++) {
            if (points[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the whole of {@code name} matches. */
    public boolean matches(String name) {
        return automaton.matches(name);
    }

    @Override
    public String toString() {
        return text;
    }

    /** Expands vsftpd's braces into the sequences a pattern stands for. */
    private static final class Braces {
        final String text;
        final int[] points;
        int at;

        Braces(String text) {
            this.text = text;
            this.points = text.codePoints().toArray();
        }

        /** The sequences from {@link #at} up to a {@code }}, or inside braces a {@code ,}, or the end. */
        List<int[]> sequence(boolean inBraces) {
            List<int[]> result = List.of(new int[0]);
            while (at < points.length) {
                int c = points[at];
                if (c == '}' || c == ',' && inBraces) {
                    break;
                }
                at++;
                List<int[]> next = c == '{' ? group() : List.of(new int[] {c == '*' ? ShiftAnd.STAR : c == '?' ? ShiftAnd.ANY : c});
                result = product(result, next);
            }
            return result;
        }

        /** After a {@code {}: its alternatives, up to and with the {@code }}. */
        private List<int[]> group() {
            List<int[]> all = new ArrayList<>();
            while (true) {
                all.addAll(sequence(true));
                if (at == points.length) {
                    throw new IllegalArgumentException("'{' without '}' in pattern '" + text + "'");
                }
                if (points[at++] == '}') {
                    return all;
                }
            }
        }

        private List<int[]> product(List<int[]> heads, List<int[]> tails) {
            List<int[]> out = new ArrayList<>();
            long positions = 0;
            for (int[] head : heads) {
                for (int[] tail : tails) {
                    positions += head.length + tail.length + 1;
                    if (positions > MAX_POSITIONS) {
                        throw new IllegalArgumentException("pattern '" + text + "' is too large once its braces "
                                + "are expanded: more than " + MAX_POSITIONS + " characters in all");
                    }
                    int[] joined = Arrays.copyOf(head, head.length + tail.length);
                    System.arraycopy(tail, 0, joined, head.length, tail.length);
                    out.add(joined);
                }
            }
            return out;
        }
    }
}
