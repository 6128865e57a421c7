package dev.ferry.server.access;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link Wildcard}'s matcher: the bit-parallel Shift-And algorithm over one or more sequences of
 * tokens, laid out one after another, one bit a position, each sequence followed by its end
 * position. Bit {@code p} of the state means "the name read so far can go on at position p"; a
 * set end bit means "matches so far". Reading a character moves each bit whose position takes it
 * one place on; a star's bit stays (it takes any run), and since a star may also take nothing, a
 * bit on a star always sets the next bit too. Runs of stars are one star, so that never cascades,
 * and no end position takes a character, so no bit moves from one sequence into the next. Each
 * character of a name costs a few operations per 64 positions, whatever the pattern.
 */
final class ShiftAnd {

    // tokens of a sequence: a code point (>= 0) stands for itself; class i is CLASS - i
    static final int ANY = -1;
    static final int STAR = -2;
    static final int CLASS = -3;

    private final int words;
    private final long[] start;
    private final long[] end;
    private final long[] star;
    /** Positions that take every character: stars and {@code ?}. */
    private final long[] always;
    /** The code points that appear literally, sorted, and the positions each is at. */
    private final int[] literals;
    private final long[][] literalAt;
    private final int[] classAt;
    private final CharClass[] classOf;
    /** The positions each ASCII character takes, worked out once: most names are ASCII. */
    private final long[][] ascii = new long[128][];

    ShiftAnd(List<int[]> sequences, List<CharClass> classes) {
        List<int[]> collapsed = sequences.stream().map(ShiftAnd::collapse).toList();
        int size = collapsed.stream().mapToInt(tokens -> tokens.length + 1).sum();
        words = (size + 63) / 64;
        start = new long[words];
        end = new long[words];
        star = new long[words];
        always = new long[words];
        literals = collapsed.stream().flatMapToInt(Arrays::stream).filter(t -> t >= 0).sorted().distinct().toArray();
        literalAt = new long[literals.length][words];
        List<Integer> classPositions = new ArrayList<>();
        List<CharClass> classMembers = new ArrayList<>();
        int p = 0;
        for (int[] tokens : collapsed) {
            set(start, p);
            for (int token : tokens) {
                if (token >= 0) {
                    set(literalAt[Arrays.binarySearch(literals, token)], p);
                } else if (token == ANY) {
                    set(always, p);
                } else if (token == STAR) {
                    set(always, p);
                    set(star, p);
                } else {
                    classPositions.add(p);
                    classMembers.add(classes.get(CLASS - token));
                }
                p++;
            }
            set(end, p++);
        }
        classAt = classPositions.stream().mapToInt(Integer::intValue).toArray();
        classOf = classMembers.toArray(CharClass[]::new);
        for (int c = 0; c < ascii.length; c++) {
            ascii[c] = accepting(c, new long[words]);
        }
    }

    /** {@code **} is one star: the automaton is as small as the pattern means. */
    private static int[] collapse(int[] tokens) {
        int[] out = new int[tokens.length];
        int n = 0;
        for (int token : tokens) {
            if (token != STAR || n == 0 || out[n - 1] != STAR) {
                out[n++] = token;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static void set(long[] bits, int position) {
        bits[position >>> 6] |= 1L << position;
    }

    boolean matches(String name) {
        long[] state = start.clone();
        long[] other = new long[words];
        skipStars(state);
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            i += Character.charCount(c);
            long[] accepts = c < ascii.length ? ascii[c] : accepting(c, other);
            long carry = 0;
            long alive = 0;
            for (int w = 0; w < words; w++) {
                long live = state[w] & accepts[w];
                long moving = live & ~star[w];
                state[w] = moving << 1 | carry | live & star[w];
                carry = moving >>> 63;
                alive |= state[w];
            }
            if (alive == 0) {
                return false;
            }
            skipStars(state);
        }
        for (int w = 0; w < words; w++) {
            if ((state[w] & end[w]) != 0) {
                return true;
            }
        }
        return false;
    }

    /** A star may take nothing: wherever a star's bit is set, so is the next one. */
    private void skipStars(long[] state) {
        long carry = 0;
        for (int w = 0; w < words; w++) {
            long onStar = state[w] & star[w];
            state[w] |= onStar << 1 | carry;
            carry = onStar >>> 63;
        }
    }

    /** The positions that take {@code c}, written into {@code into}. */
    private long[] accepting(int c, long[] into) {
        System.arraycopy(always, 0, into, 0, words);
        int literal = Arrays.binarySearch(literals, c);
        if (literal >= 0) {
            long[] at = literalAt[literal];
            for (int w = 0; w < words; w++) {
                into[w] |= at[w];
            }
        }
        for (int k = 0; k < classAt.length; k++) {
            if (classOf[k].contains(c)) {
                set(into, classAt[k]);
            }
        }
        return into;
    }
}
