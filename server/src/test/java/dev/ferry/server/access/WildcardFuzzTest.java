package dev.ferry.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Client patterns (LIST/NLST/STAT) and hide_file/deny_file patterns against hostile names: a
 * pattern compiles or is refused with {@link IllegalArgumentException} ({@link Wildcard.TooComplex}
 * for clients), a match takes well under a second whatever the pattern, and the bit-parallel
 * matcher agrees with a plain dynamic-programming matcher of the same tokens.
 */
class WildcardFuzzTest {

    /** Generous: a match costs (name length) x (positions / 64) word operations, microseconds here. */
    private static final long BOUND_NANOS = 2_000_000_000L;

    @FuzzTest(maxDuration = "60s")
    void glob(FuzzedDataProvider data) {
        String pattern = data.consumeString(300);
        String name = data.consumeRemainingAsString();
        Wildcard wildcard;
        try {
            wildcard = Wildcard.glob(pattern);
        } catch (Wildcard.TooComplex e) {
            assertTrue(pattern.length() > Wildcard.MAX_LENGTH
                    || pattern.chars().filter(c -> c == '*').count() > Wildcard.MAX_STARS, "refused: " + pattern);
            return;
        }
        boolean matched = timed(wildcard, name);
        assertEquals(reference(globTokens(pattern), name), matched, "'" + pattern + "' against '" + name + "'");
    }

    @FuzzTest(maxDuration = "60s")
    void vsftpd(FuzzedDataProvider data) {
        String pattern = data.consumeString(1000);
        String name = data.consumeRemainingAsString();
        Wildcard wildcard;
        try {
            wildcard = Wildcard.vsftpd(pattern);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("'{'") || e.getMessage().contains("'}'") || e.getMessage().contains("too large"),
                    e.getMessage());
            return;
        }
        boolean matched = timed(wildcard, name);
        if (pattern.indexOf('{') < 0) {
            int[] tokens = pattern.codePoints().map(c -> c == '*' ? ShiftAnd.STAR : c == '?' ? ShiftAnd.ANY : c).toArray();
            assertEquals(reference(new Tokens(tokens, List.of()), name), matched, "'" + pattern + "' against '" + name + "'");
        }
    }

    private static boolean timed(Wildcard wildcard, String name) {
        long start = System.nanoTime();
        boolean matched = wildcard.matches(name);
        long took = System.nanoTime() - start;
        assertTrue(took < BOUND_NANOS, "a match took " + took / 1_000_000 + " ms");
        return matched;
    }

    private record Tokens(int[] tokens, List<CharClass> classes) {
    }

    /** Wildcard.glob's reading of a pattern (classes as CharClass reads them), kept apart from its matcher. */
    private static Tokens globTokens(String pattern) {
        int[] points = pattern.codePoints().toArray();
        int[] tokens = new int[points.length];
        int n = 0;
        List<CharClass> classes = new ArrayList<>();
        for (int i = 0; i < points.length; i++) {
            int c = points[i];
            int end = -1;
            if (c == '[') {
                for (int k = i + 1; k < points.length && end < 0; k++) {
                    end = points[k] == ']' ? k : -1;
                }
            }
            if (end >= 0) {
                CharClass members = CharClass.parse(points, i + 1, end);
                if (members == null) {
                    return new Tokens(points, List.of()); // a class that cannot match: all literal
                }
                classes.add(members);
                tokens[n++] = ShiftAnd.CLASS - (classes.size() - 1);
                i = end;
            } else {
                tokens[n++] = c == '*' ? ShiftAnd.STAR : c == '?' ? ShiftAnd.ANY : c;
            }
        }
        return new Tokens(Arrays.copyOf(tokens, n), classes);
    }

    /** Whole-name match by dynamic programming over (tokens read, code points read). */
    private static boolean reference(Tokens pattern, String name) {
        int[] s = name.codePoints().toArray();
        int[] t = pattern.tokens();
        boolean[] row = new boolean[s.length + 1];
        row[0] = true;
        for (int token : t) {
            boolean[] next = new boolean[s.length + 1];
            if (token == ShiftAnd.STAR) {
                boolean any = false;
                for (int j = 0; j <= s.length; j++) {
                    any |= row[j];
                    next[j] = any;
                }
            } else {
                for (int j = 1; j <= s.length; j++) {
                    int c = s[j - 1];
                    boolean takes = token == ShiftAnd.ANY || token >= 0 ? token == ShiftAnd.ANY || token == c
                            : pattern.classes().get(ShiftAnd.CLASS - token).contains(c);
                    next[j] = row[j - 1] && takes;
                }
            }
            row = next;
        }
        return row[s.length];
    }
}
