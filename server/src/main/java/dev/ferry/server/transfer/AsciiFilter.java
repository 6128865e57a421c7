package dev.ferry.server.transfer;

/**
 * TYPE A line-ending conversion (RFC 959 section 3.1.1.1): the network form ends lines with CRLF,
 * the stored form with LF. Stateful because a CR and its LF may arrive in different buffers.
 */
public sealed interface AsciiFilter {

    /** Converts {@code length} bytes of {@code in} into {@code out} (twice as large); returns the count. */
    int convert(byte[] in, int length, byte[] out);

    /** Bytes still held back at end of stream. */
    default int flush(byte[] out) {
        return 0;
    }

    /** RETR: a bare LF becomes CRLF; an existing CRLF is sent once, not as CR CR LF. */
    final class ToNetwork implements AsciiFilter {
        private boolean lastWasCr;

        @Override
        public int convert(byte[] in, int length, byte[] out) {
            int n = 0;
            for (int i = 0; i < length; i++) {
                byte b = in[i];
                if (b == '\n' && !lastWasCr) {
                    out[n++] = '\r';
                }
                out[n++] = b;
                lastWasCr = b == '\r';
            }
            return n;
        }
    }

    /** STOR: CRLF becomes LF; a CR not followed by LF is kept. */
    final class FromNetwork implements AsciiFilter {
        private boolean pendingCr;

        @Override
        public int convert(byte[] in, int length, byte[] out) {
            int n = 0;
            for (int i = 0; i < length; i++) {
                byte b = in[i];
                if (pendingCr) {
                    pendingCr = false;
                    if (b != '\n') {
                        out[n++] = '\r';
                    }
                }
                if (b == '\r') {
                    pendingCr = true;
                } else {
                    out[n++] = b;
                }
            }
            return n;
        }

        @Override
        public int flush(byte[] out) {
            if (pendingCr) {
                pendingCr = false;
                out[0] = '\r';
                return 1;
            }
            return 0;
        }
    }
}
