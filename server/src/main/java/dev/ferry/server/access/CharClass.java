package dev.ferry.server.access;

import java.util.Arrays;

/** The members of a {@code [...]} class: code points and ranges, maybe negated. */
record CharClass(boolean negated, int[] ranges) {

    /**
     * The class between {@code from} and {@code end} (the {@code ]}), read as java.util.regex
     * read the class Ferry used to build: {@code a-z} is a range, a {@code -} first, last or
     * right after a range is itself. Null when the class cannot match anything.
     */
    static CharClass parse(int[] points, int from, int end) {
        boolean negated = from < end && (points[from] == '!' || points[from] == '^');
        int i = negated ? from + 1 : from;
        if (i == end) {
            return null;
        }
        int[] ranges = new int[2 * (end - i)];
        int n = 0;
        while (i < end) {
            int low = points[i];
            int high = low;
            if (i + 2 < end && points[i + 1] == '-') {
                high = points[i + 2];
                if (high < low) {
                    return null;
                }
                i += 3;
            } else {
                i++;
            }
            ranges[n++] = low;
            ranges[n++] = high;
        }
        return new CharClass(negated, Arrays.copyOf(ranges, n));
    }

    boolean contains(int c) {
        for (int i = 0; i < ranges.length; i += 2) {
            if (c >= ranges[i] && c <= ranges[i + 1]) {
                return !negated;
            }
        }
        return negated;
    }
}
