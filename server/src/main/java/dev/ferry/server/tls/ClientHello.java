package dev.ferry.server.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The first handshake message of a control connection, read off the TCP stream before Java's TLS
 * sees it (and then replayed to it: {@link TcpUnderTls}), for the one fact JSSE does not tell a
 * server: whether the client offered a TLS 1.3 pre-shared key (RFC 8446 section 4.2.11). A client that offers one on a new control connection
 * keeps a ticket cache across its connections (Go's crypto/tls: rclone); one that offers none
 * although its other connection had a ticket by then (lftp, curl, Python) keeps tickets per
 * connection. {@link ClientTls} decides from that who may be given single-use tickets.
 *
 * @param consumed   the bytes read, to be replayed to the TLS engine
 * @param offersPsk  the ClientHello carries a pre_shared_key extension
 */
record ClientHello(byte[] consumed, boolean offersPsk) {

    /** RFC 8446 section 4.2: extension type of pre_shared_key. */
    private static final int PRE_SHARED_KEY = 41;
    private static final int HANDSHAKE_RECORD = 22;
    private static final int CLIENT_HELLO = 1;
    /** A ClientHello with a few tickets is under 2 KiB; a bigger one is not worth parsing. */
    private static final int LIMIT = 64 * 1024;

    /**
     * Reads the records that carry the ClientHello (the socket's read timeout bounds each read).
     * Anything that is not a well-formed TLS ClientHello is returned as read, with offersPsk false,
     * and left to the TLS engine to refuse.
     */
    static ClientHello read(InputStream in) throws IOException {
        ByteArrayOutputStream consumed = new ByteArrayOutputStream(1024);
        ByteArrayOutputStream message = new ByteArrayOutputStream(1024);
        int needed = -1; // the handshake message's length with its 4-byte header, once known
        while (needed < 0 || message.size() < needed) {
            byte[] header = readFully(in, 5, consumed);
            if (header == null || (header[0] & 0xff) != HANDSHAKE_RECORD) {
                return new ClientHello(consumed.toByteArray(), false);
            }
            int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
            if (consumed.size() + length > LIMIT) {
                return new ClientHello(consumed.toByteArray(), false);
            }
            byte[] fragment = readFully(in, length, consumed);
            if (fragment == null) {
                return new ClientHello(consumed.toByteArray(), false);
            }
            message.write(fragment);
            if (needed < 0 && message.size() >= 4) {
                // once: a hostile client's one-byte records must not cost a copy of the message each
                byte[] sofar = message.toByteArray();
                if ((sofar[0] & 0xff) != CLIENT_HELLO) {
                    return new ClientHello(consumed.toByteArray(), false);
                }
                needed = 4 + (((sofar[1] & 0xff) << 16) | ((sofar[2] & 0xff) << 8) | (sofar[3] & 0xff));
                if (needed > LIMIT) {
                    return new ClientHello(consumed.toByteArray(), false);
                }
            }
        }
        return new ClientHello(consumed.toByteArray(), offersPsk(message.toByteArray(), needed));
    }

    /** RFC 8446 section 4.1.2, the ClientHello's fields in order up to its extensions. */
    static boolean offersPsk(byte[] message, int length) {
        try {
            ByteBuffer hello = ByteBuffer.wrap(message, 4, length - 4);
            skip(hello, 2 + 32);                          // legacy_version, random
            skip(hello, hello.get() & 0xff);               // legacy_session_id
            skip(hello, hello.getShort() & 0xffff);        // cipher_suites
            skip(hello, hello.get() & 0xff);               // legacy_compression_methods
            if (!hello.hasRemaining()) {
                return false;                              // no extensions at all
            }
            ByteBuffer extensions = slice(hello, hello.getShort() & 0xffff);
            while (extensions.remaining() >= 4) {
                int type = extensions.getShort() & 0xffff;
                int size = extensions.getShort() & 0xffff;
                if (type == PRE_SHARED_KEY) {
                    return true;
                }
                skip(extensions, size);
            }
            return false;
        } catch (RuntimeException malformed) {
            return false; // the TLS engine refuses it with its own alert
        }
    }

    private static void skip(ByteBuffer buffer, int count) {
        buffer.position(buffer.position() + count);
    }

    private static ByteBuffer slice(ByteBuffer buffer, int count) {
        ByteBuffer part = buffer.slice(buffer.position(), count);
        skip(buffer, count);
        return part;
    }

    /** Exactly {@code count} bytes (also copied to {@code consumed}), or null at the end of the stream. */
    private static byte[] readFully(InputStream in, int count, ByteArrayOutputStream consumed) throws IOException {
        byte[] bytes = new byte[count];
        int read = 0;
        while (read < count) {
            int n = in.read(bytes, read, count - read);
            if (n < 0) {
                consumed.write(bytes, 0, read);
                return null;
            }
            read += n;
        }
        consumed.write(bytes);
        return bytes;
    }
}
