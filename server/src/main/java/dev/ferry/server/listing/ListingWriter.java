package dev.ferry.server.listing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes listing lines to a data connection as UTF-8 (RFC 2640) with CRLF (RFC 959 section
 * 3.1.1.1) through one byte buffer: a line is formatted into a reused {@link StringBuilder} and
 * copied into the buffer, with no String, char buffer or encoder per line. Lines in US-ASCII (most
 * names) are copied char by char; a line with other characters goes through the JDK's UTF-8 encoder,
 * which replaces an unpaired surrogate by {@code ?} as the Writer used before did.
 */
public final class ListingWriter {

    /** One socket write per 64 KiB: a 10,000-entry LIST is ~11 writes. */
    static final int BUFFER = 64 * 1024;

    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER];
    private char[] chars = new char[256];
    private int used;

    public ListingWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes {@code line} and CRLF. */
    public void line(CharSequence line) throws IOException {
        int length = line.length();
        if (used + length + 2 > buffer.length) {
            drain();
        }
        if (length + 2 > buffer.length || !copyAscii(line, length)) {
            writeEncoded(line);
            return;
        }
        buffer[used++] = '\r';
        buffer[used++] = '\n';
    }

    /**
     * Copies {@code line} into the buffer if it is all US-ASCII, through one bulk copy of its chars
     * (a charAt per char was most of this class's time); false, with nothing copied, if it is not.
     */
    private boolean copyAscii(CharSequence line, int length) {
        if (chars.length < length) {
            chars = new char[Math.max(length, 2 * chars.length)];
        }
        if (line instanceof StringBuilder builder) {
            builder.getChars(0, length, chars, 0);
        } else {
            line.toString().getChars(0, length, chars, 0);
        }
        int at = used;
        for (int i = 0; i < length; i++) {
            char c = chars[i];
            if (c >= 0x80) {
                return false;
            }
            buffer[at++] = (byte) c;
        }
        used = at;
        return true;
    }

    private void writeEncoded(CharSequence line) throws IOException {
        byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
        if (used + bytes.length + 2 > buffer.length) {
            drain();
        }
        if (bytes.length + 2 > buffer.length) {
            out.write(bytes);
        } else {
            System.arraycopy(bytes, 0, buffer, used, bytes.length);
            used += bytes.length;
        }
        if (used + 2 > buffer.length) {
            drain();
        }
        buffer[used++] = '\r';
        buffer[used++] = '\n';
    }

    /** Writes what is buffered and flushes the stream: before the 226, and when a listing fails part way. */
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    private void drain() throws IOException {
        if (used > 0) {
            out.write(buffer, 0, used);
            used = 0;
        }
    }
}
