package dev.ferry.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32;

/** The client side of a data connection, shared by the plain and the FTPS client so both copy alike. */
final class DataCopy {

    private DataCopy() {
    }

    /** Reads {@code in} to its end through {@code buffer}; returns the byte count, adding the bytes to {@code crc} if given. */
    static long drain(InputStream in, byte[] buffer, CRC32 crc) throws IOException {
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (crc != null) {
                crc.update(buffer, 0, n);
            }
            total += n;
        }
        return total;
    }

    /** Writes {@code size} bytes of {@code pattern}, repeated. */
    static void fill(OutputStream out, byte[] pattern, long size) throws IOException {
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(left, pattern.length);
            out.write(pattern, 0, n);
            left -= n;
        }
    }
}
