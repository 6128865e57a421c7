package dev.ferry.bench;

import java.io.InputStream;

/** {@code size} bytes of a pattern repeated, generated as read: an upload body without a file. */
final class PatternStream extends InputStream {

    private final byte[] pattern;
    private long left;
    private int at;

    PatternStream(byte[] pattern, long size) {
        this.pattern = pattern;
        this.left = size;
    }

    @Override
    public int read() {
        if (left == 0) {
            return -1;
        }
        left--;
        int b = pattern[at] & 0xff;
        at = (at + 1) % pattern.length;
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (left == 0) {
            return -1;
        }
        int n = (int) Math.min(Math.min(length, left), pattern.length - at);
        System.arraycopy(pattern, at, buffer, offset, n);
        at = (at + n) % pattern.length;
        left -= n;
        return n;
    }
}
