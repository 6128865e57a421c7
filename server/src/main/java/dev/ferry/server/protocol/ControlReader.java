package dev.ferry.server.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads command lines from the control connection.
 *
 * <ul>
 *   <li>Lines end with CRLF (RFC 959) or a bare LF (what many scripts send).</li>
 *   <li>Telnet commands are removed (RFC 959 section 4.1.3, RFC 854): {@code IAC IAC} is a data
 *       byte 0xFF, {@code IAC WILL/WONT/DO/DONT x} and the two-byte commands such as the
 *       {@code IAC IP IAC DM} that clients send before ABOR are dropped. BSD ftp(1) sends
 *       {@code IAC IP IAC} with MSG_OOB, and TCP makes only the last byte urgent; without
 *       SO_OOBINLINE that IAC never reaches the stream and a lone DM byte starts the line, so a DM
 *       right after a telnet command is dropped as well (vsftpd accepts this form of ABOR too).</li>
 *   <li>A line longer than the cap is consumed to its end and reported as {@link Line.TooLong}, so
 *       the session can answer 500 and go on, like vsftpd does with its 4 KiB command buffer.</li>
 *   <li>Text is UTF-8 (RFC 2640); a line that is not valid UTF-8 is read as ISO-8859-1 so old
 *       clients with Latin-1 file names still reach their files.</li>
 * </ul>
 */
public final class ControlReader {

    public static final int MAX_LINE = 4096;

    private static final int IAC = 255;
    /** Data Mark, the end of a telnet synch (RFC 854). */
    private static final int DM = 242;
    private static final int WILL = 251;
    private static final int DONT = 254;

    /** What one read produced. */
    public sealed interface Line {
        record Text(String text) implements Line {
        }

        record TooLong() implements Line {
        }

        record End() implements Line {
        }
    }

    private final InputStream in;
    /** Grows up to MAX_LINE as long lines arrive: most commands fit the first 64 bytes. */
    private byte[] buffer = new byte[64];

    public ControlReader(InputStream in) {
        this.in = in;
    }

    /** Blocks for the next line; {@link Line.End} when the client closed the connection. */
    public Line read() throws IOException {
        int length = 0;
        boolean overflow = false;
        boolean afterTelnetCommand = false;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return length == 0 && !overflow ? new Line.End() : finish(length, overflow);
            }
            if (b == IAC) {
                int command = in.read();
                if (command < 0) {
                    return new Line.End();
                }
                if (command != IAC) {
                    if (command >= WILL && command <= DONT) {
                        in.read(); // the option byte of a negotiation, which FTP ignores
                    }
                    afterTelnetCommand = true;
                    continue;
                }
                // IAC IAC is an escaped 0xFF data byte
            } else if (b == DM && afterTelnetCommand && length == 0) {
                afterTelnetCommand = false;
                continue; // the synch whose IAC went out of band (see the class comment)
            }
            afterTelnetCommand = false;
            if (b == '\n') {
                return finish(length, overflow);
            }
            if (length == buffer.length) {
                if (length == MAX_LINE) {
                    overflow = true;
                    continue;
                }
                buffer = Arrays.copyOf(buffer, Math.min(MAX_LINE, length * 2));
            }
            buffer[length++] = (byte) b;
        }
    }

    private Line finish(int length, boolean overflow) {
        if (overflow) {
            return new Line.TooLong();
        }
        if (length > 0 && buffer[length - 1] == '\r') {
            length--;
        }
        return new Line.Text(decode(length));
    }

    private String decode(int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buffer, 0, length))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
        }
    }
}
