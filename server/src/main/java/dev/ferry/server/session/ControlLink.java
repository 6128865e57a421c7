package dev.ferry.server.session;

import dev.ferry.server.protocol.ControlReader;
import dev.ferry.server.protocol.ReplyWriter;
import dev.ferry.server.tls.SessionTls;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.net.Socket;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * The control connection's byte streams: plain TCP, then TLS after AUTH TLS (or from the start
 * for implicit FTPS), and plain again after CCC. Used by the control thread only; the reply
 * writer it switches is shared with the transfer thread and switches under its own lock.
 */
public final class ControlLink {

    /**
     * Commands are short, and replies are written whole and flushed (no output buffer): small
     * buffers keep an idle session light (issue 9 measures the memory per idle session).
     */
    private static final int BUFFER = 256;

    private final Socket plain;
    private final ReplyWriter replies;
    private ControlReader reader;
    private SSLSocket secure;
    /** Kept after CCC: data connections still resume this session's TLS session. */
    private SessionTls tls;

    public ControlLink(Socket plain, ReplyWriter replies) throws IOException {
        this.plain = plain;
        this.replies = replies;
        this.reader = new ControlReader(new BufferedInputStream(plain.getInputStream(), BUFFER));
    }

    /** Where the next command line comes from. */
    public ControlReader reader() {
        return reader;
    }

    /**
     * The TLS handshake (after the 234 of AUTH TLS, or first thing for implicit FTPS); then
     * commands and replies go through TLS. The old reader is dropped with whatever plaintext it
     * had buffered after the AUTH line, so nothing sent in clear before the handshake can run as
     * if it had come through TLS (the STARTTLS command injection, CVE-2011-0411 in Postfix).
     */
    public void startTls(SessionTls sessionTls) throws IOException {
        SSLSocket socket = sessionTls.upgradeControl(plain);
        secure = socket;
        if (tls != null) {
            tls.release(); // a new AUTH TLS after CCC: the old TLS state is gone (RFC 2228 section 3)
        }
        tls = sessionTls;
        reader = new ControlReader(new BufferedInputStream(socket.getInputStream(), BUFFER));
        replies.switchTo(socket.getOutputStream(), new ReplyWriter.DataReplies() {
            @Override
            public void offer(ReplyWriter.Write head, ReplyWriter.Write lineEnd) throws IOException {
                sessionTls.offerData(head::run, lineEnd::run);
            }

            @Override
            public void finalReply(ReplyWriter.Write write) throws IOException {
                sessionTls.finalReply(write::run);
            }
        });
    }

    /**
     * CCC (RFC 4217 section 6), after its 200 went out through TLS: close_notify, then plain text.
     * A client may answer with its own close_notify (curl's "active" mode) or not; the reader skips
     * TLS records that arrive before the first plain command.
     */
    public void endTls() throws IOException {
        if (secure == null) {
            return;
        }
        secure.shutdownOutput(); // close_notify only; the layered socket does not own the TCP connection
        secure = null;
        reader = new ControlReader(new BufferedInputStream(new TlsRecordSkipper(plain.getInputStream()), BUFFER));
        replies.switchTo(plain.getOutputStream(), ReplyWriter.DataReplies.PLAIN);
    }

    /** Whether commands and replies currently go through TLS. */
    public boolean encrypted() {
        return secure != null;
    }

    /** The session's TLS state once AUTH TLS (or implicit FTPS) succeeded; still there after CCC. */
    public Optional<SessionTls> tls() {
        return Optional.ofNullable(tls);
    }

    /**
     * Ends the connection: with TLS, close_notify first (SessionTls.close: a bare close() in TLS
     * 1.3 sends user_canceled, which Go and GnuTLS clients treat as an error), then the socket.
     */
    public void close() throws IOException {
        try {
            if (secure != null) {
                SessionTls.close(secure);
            }
        } finally {
            if (tls != null) {
                tls.release();
            }
            plain.close();
        }
    }

    /**
     * Drops whole TLS records (content types 20-24) at the start of the stream. An FTP command
     * never starts with those bytes, so anything else is passed on untouched.
     */
    private static final class TlsRecordSkipper extends PushbackInputStream {
        private static final int MAX_RECORDS = 8;
        private boolean checked;

        TlsRecordSkipper(InputStream in) {
            super(in, 1);
        }

        @Override
        public int read() throws IOException {
            skipRecords();
            return super.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            skipRecords();
            return super.read(buffer, offset, length);
        }

        private void skipRecords() throws IOException {
            if (checked) {
                return;
            }
            for (int records = 0; records < MAX_RECORDS; records++) {
                int type = super.read();
                if (type < 0) {
                    break;
                }
                if (type < 20 || type > 24) {
                    unread(type);
                    break;
                }
                byte[] header = super.readNBytes(4); // version (2), length (2)
                if (header.length < 4) {
                    break;
                }
                int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
                if (skipNBytes0(length) < length) {
                    break;
                }
            }
            checked = true;
        }

        private long skipNBytes0(long count) throws IOException {
            long skipped = 0;
            while (skipped < count) {
                long n = super.skip(count - skipped);
                if (n <= 0) {
                    if (super.read() < 0) {
                        return skipped;
                    }
                    n = 1;
                }
                skipped += n;
            }
            return skipped;
        }
    }
}
