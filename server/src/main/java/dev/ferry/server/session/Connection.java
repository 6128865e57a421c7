package dev.ferry.server.session;

import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.protocol.ControlReader;
import dev.ferry.server.protocol.Dispatcher;
import dev.ferry.server.protocol.Reply;
import dev.ferry.server.protocol.ReplyWriter;
import dev.ferry.server.protocol.Request;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** One control connection from greeting to close, on its own virtual thread. */
public final class Connection implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    /** Over-long lines in a row before we stop reading from a client that is not speaking FTP. */
    private static final int MAX_LONG_LINES = 3;

    private final long id;
    private final Socket socket;
    private final ServerContext server;
    private volatile Session session;
    private volatile boolean stopping;

    public Connection(long id, Socket socket, ServerContext server) {
        this.id = id;
        this.socket = socket;
        this.server = server;
    }

    @Override
    public void run() {
        MDC.put("session", Long.toString(id));
        LOG.info("connect from {}", socket.getRemoteSocketAddress());
        try (socket) {
            socket.setTcpNoDelay(true); // Nagle would hold small replies ~40 ms (DESIGN.md)
            // keep Telnet "urgent" bytes (the synch clients send before ABOR) in the stream, as
            // vsftpd does, so ControlReader sees and drops them instead of the kernel losing them
            socket.setOOBInline(true);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, server.config().get(CoreDirectives.IDLE_SESSION_TIMEOUT).toMillis()));
            ReplyWriter replies = new ReplyWriter(new BufferedOutputStream(socket.getOutputStream(), 8192));
            session = new Session(id, socket, replies, server);
            ControlReader reader = new ControlReader(new BufferedInputStream(socket.getInputStream(), 8192));
            if (stopping) {
                replies.send(421, "Server is shutting down.");
                return;
            }
            replies.send(banner());
            serve(reader, replies);
        } catch (IOException e) {
            LOG.debug("connection ended: {}", e.toString());
        } finally {
            if (session != null) {
                session.release();
            }
            LOG.info("disconnect");
            MDC.clear();
        }
    }

    private void serve(ControlReader reader, ReplyWriter replies) throws IOException {
        int longLines = 0;
        while (!session.quitting() && !stopping) {
            ControlReader.Line line;
            try {
                line = reader.read();
            } catch (SocketTimeoutException idle) {
                if (session.transfer().isPresent()) {
                    continue; // a long transfer is not an idle session
                }
                replies.send(421, "Timeout.");
                return;
            }
            switch (line) {
                case ControlReader.Line.End end -> {
                    return;
                }
                case ControlReader.Line.TooLong tooLong -> {
                    replies.send(500, "Command line too long.");
                    session.restartOffset(0); // the next command is not the one REST or RNFR was for
                    session.renameFrom(null);
                    if (++longLines >= MAX_LONG_LINES) {
                        return;
                    }
                }
                case ControlReader.Line.Text text -> {
                    longLines = 0;
                    if (!text.text().isBlank()) {
                        Dispatcher.dispatch(session, Request.parse(text.text()));
                    }
                }
            }
        }
    }

    /** banner_file (read at startup) wins over ftpd_banner, as in vsftpd. */
    private Reply banner() {
        List<String> file = server.access().banner().orElse(List.of());
        if (!file.isEmpty()) {
            return new Reply(220, file);
        }
        String banner = server.config().get(CoreDirectives.FTPD_BANNER);
        return Reply.of(220, banner.isEmpty() ? "(Ferry)" : banner);
    }

    /**
     * Graceful stop: an idle session is told 421 and closed at once; a session with a running
     * transfer gets until the transfer ends (the caller bounds that with its grace period).
     */
    public void stop() {
        stopping = true;
        Session current = session;
        if (current == null || current.transfer().isEmpty()) {
            tellAndClose();
        }
    }

    /** The last step of a stop: whatever is still running is cut. */
    public void tellAndClose() {
        stopping = true;
        Session current = session;
        try {
            if (current != null) {
                current.replies().send(421, "Server is shutting down.");
            }
        } catch (IOException ignored) {
            // the client is gone already
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    public boolean transferring() {
        Session current = session;
        return current != null && current.transfer().isPresent();
    }
}
