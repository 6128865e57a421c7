package dev.ferry.server.session;

import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.log.ActivityLog;
import dev.ferry.server.log.CommandRecord;
import dev.ferry.server.metrics.Metrics;
import dev.ferry.server.net.Admission;
import dev.ferry.server.net.ControlDeadline;
import dev.ferry.server.net.ProxyProtocol;
import dev.ferry.server.protocol.ControlReader;
import dev.ferry.server.protocol.Reply;
import dev.ferry.server.protocol.ReplyWriter;
import dev.ferry.server.protocol.Request;
import dev.ferry.server.protocol.Verb;
import dev.ferry.server.transfer.Transfer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
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
    /** The server's configuration as of now, which a login after a reload uses. */
    private final Supplier<ServerContext> latest;
    /** Implicit FTPS: TLS from the first byte (implicit_ssl, implicit_ssl_listen_port). */
    private final boolean implicitTls;
    /** Runs each request: the command layer's dispatcher, handed down so this layer does not depend on it. */
    private final Handler dispatcher;
    private volatile Session session;
    private volatile boolean stopping;
    /** The client's address, worked out once when the connection starts (see {@link #peer}). */
    private InetSocketAddress client;
    private final ReentrantLock telling = new ReentrantLock();
    /** Guarded by {@link #telling}. */
    private boolean told;
    /** The line and login deadlines; set first thing in {@link #run}. */
    private ControlDeadline deadline;

    public Connection(long id, Socket socket, ServerContext server, Supplier<ServerContext> latest, boolean implicitTls,
                      Handler dispatcher) {
        this.id = id;
        this.dispatcher = dispatcher;
        this.socket = socket;
        this.server = server;
        this.latest = latest;
        this.implicitTls = implicitTls;
    }

    @Override
    public void run() {
        MDC.put("session", Long.toString(id));
        Admission.Permit permit = null;
        ControlLink link = null;
        boolean opened = false;
        // from the first byte: the login deadline bounds the PROXY header and the TLS handshake too
        deadline = new ControlDeadline(socket, server.config().get(CoreDirectives.IDLE_SESSION_TIMEOUT),
                server.config().get(CoreDirectives.LOGIN_TIMEOUT), this::transferring);
        try {
            try {
                client = peer();
            } catch (ProxyProtocol.Refused refused) {
                LOG.info("connect from {} refused: {}", socket.getRemoteSocketAddress(), refused.getMessage());
                return; // no reply: the peer is not an FTP client, or not one that may name its address
            }
            socket.setTcpNoDelay(true); // Nagle would hold small replies ~40 ms (DESIGN.md)
            // keep Telnet "urgent" bytes (the synch clients send before ABOR) in the stream, as
            // vsftpd does, so ControlReader sees and drops them instead of the kernel losing them
            socket.setOOBInline(true);
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE,
                    server.config().get(CoreDirectives.IDLE_SESSION_TIMEOUT).toMillis()));
            // no output buffer: ReplyWriter writes each reply whole and flushes it, so a buffer
            // would only cost every idle session 8 KiB (issue 9's memory per idle session)
            OutputStream out = socket.getOutputStream();
            try {
                // here, in the session's own thread, so a refused client reads why at once
                permit = server.admission().connect(client.getAddress(), deadline::displace);
            } catch (Admission.Refused refused) {
                LOG.info("refused: {}", refused.getMessage());
                server.metrics().sessionRefused(refused.reason());
                if (!implicitTls) { // an implicit FTPS client could not read a plain 421; it sees the close
                    new ReplyWriter(out).send(421, refused.getMessage());
                }
                return;
            }
            server.log().connect(id, client());
            ReplyWriter replies = server.log().logsProtocol() ? new ReplyWriter(out, this::logReply) : new ReplyWriter(out);
            link = new ControlLink(socket, replies);
            session = new Session(id, socket, client, link, replies, server, latest);
            if (implicitTls) {
                try {
                    // bounded by idle_session_timeout, set above
                    link.startTls(server.tls().orElseThrow().newSession(client.getAddress()));
                } catch (IOException e) {
                    server.metrics().sessionRefused("tls_handshake");
                    throw e;
                }
            }
            if (stopping) {
                server.metrics().sessionRefused("shutting_down");
                tellStopping(replies);
                return;
            }
            server.metrics().sessionOpened();
            opened = true;
            replies.send(banner());
            serve(link, replies, permit);
            if (stopping && !session.quitting()) {
                tellStopping(replies); // the loop saw the stop before the stopping thread could say so
            }
        } catch (IOException e) {
            if (deadline.expired().isPresent()) {
                LOG.info("cut: {} deadline passed ({})", deadline.expired().get(), e.toString());
            } else {
                LOG.debug("connection ended: {}", e.toString());
            }
        } finally {
            deadline.close();
            if (session != null) {
                session.release();
            }
            closeQuietly(link);
            if (permit != null) {
                permit.close();
            }
            if (opened) {
                server.metrics().sessionClosed();
            }
            LOG.info("disconnect");
            MDC.clear();
        }
    }

    /** QUIT and the end of a TLS session close with close_notify first (ControlLink.close). */
    private void closeQuietly(ControlLink link) {
        try {
            if (link != null) {
                link.close();
            } else {
                socket.close();
            }
        } catch (IOException e) {
            LOG.debug("closing: {}", e.toString());
        }
    }

    private void serve(ControlLink link, ReplyWriter replies, Admission.Permit permit) throws IOException {
        int longLines = 0;
        while (!session.quitting() && !stopping) {
            ControlReader.Line line;
            deadline.awaitingLine();
            try {
                // asked each time: AUTH TLS and CCC replace the reader
                line = link.reader().read();
            } catch (SocketTimeoutException idle) {
                if (session.transfers().transfer().isPresent()) {
                    continue; // a long transfer is not an idle session
                }
                replies.sendClosing(Reply.of(421, "Timeout."));
                return;
            } catch (IOException e) {
                if (tellExpired(replies)) {
                    return; // the deadline shut the input; over TLS the read fails instead of ending
                }
                throw e;
            }
            deadline.lineRead();
            if (tellExpired(replies)) {
                return; // a line completed just as its deadline passed still counts as late
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
                        // say why before closing: a client that is not speaking FTP, or a bug, deserves to know
                        replies.sendClosing(Reply.of(421, "Too many over-long command lines; closing the connection."));
                        return;
                    }
                }
                case ControlReader.Line.Text text -> {
                    longLines = 0;
                    if (!text.text().isBlank()) {
                        long started = System.nanoTime();
                        server.log().command(id, session.logName(), client(), text.text());
                        Request request = Request.parse(text.text());
                        Optional<ActivityLog.Action> action = action(request);
                        String target = action.isPresent() ? target(request) : "";
                        dispatcher.handle(session, request);
                        if (action.isPresent()) {
                            boolean ok = replies.last() != null && replies.last().isPositive();
                            server.log().action(id, session.logName(), client(), action.get(), ok, target);
                        }
                        account(request, text.text(), started);
                    }
                    boolean in = session.login().loggedIn();
                    deadline.loggedIn(in);
                    if (in) {
                        permit.loggedIn(); // a session that has logged in is never displaced
                    }
                }
            }
        }
    }

    /**
     * When a deadline has cut the input: the 421 that says which (vsftpd's "Timeout." for a line,
     * ProFTPD's wording for a login). True when the connection must end.
     */
    private boolean tellExpired(ReplyWriter replies) {
        Optional<ControlDeadline.Reason> reason = deadline.expired();
        if (reason.isEmpty()) {
            return false;
        }
        LOG.info(switch (reason.get()) {
            case LOGIN -> "no login within login_timeout: closing";
            case LINE -> "no complete command line within idle_session_timeout: closing";
            case DISPLACED -> "displaced by a new connection to a full server, never having logged in: closing";
        });
        try {
            replies.sendClosing(switch (reason.get()) {
                case LOGIN -> Reply.of(421, "Login timeout (" + deadline.loginTimeout().toSeconds()
                        + " seconds): closing control connection.");
                case LINE -> Reply.of(421, "Timeout.");
                case DISPLACED -> Reply.of(421, "There are too many connected users and this connection has not "
                        + "logged in; closing it.");
            });
        } catch (IOException gone) {
            LOG.debug("421 not delivered: {}", gone.toString());
        }
        return true;
    }

    /**
     * The client: the socket's peer, or with proxy_protocol the address the trusted balancer's PROXY
     * header names. Read first thing, before any reply and (implicit FTPS) before the TLS handshake,
     * since the balancer sends the header before the client's first byte.
     */
    private InetSocketAddress peer() throws IOException {
        InetSocketAddress direct = (InetSocketAddress) socket.getRemoteSocketAddress();
        ProxyProtocol proxy = server.proxyProtocol();
        if (!proxy.control()) {
            LOG.info("connect from {}", direct);
            return direct;
        }
        InetSocketAddress named = proxy.client(socket);
        if (named.equals(direct)) { // a LOCAL or UNKNOWN header: the balancer itself, e.g. its health check
            LOG.info("connect from {} (the balancer itself)", direct);
        } else {
            LOG.info("connect from {} via {}", named, direct);
        }
        return named;
    }

    /**
     * Metrics and json_log_enable: the command with its final reply. A transfer command's final
     * reply (226, 426...) comes from its transfer's thread, so it is accounted for when that
     * transfer ends, together with the transfer itself.
     */
    private void account(Request request, String line, long started) {
        Verb verb = Verb.find(request.verb());
        String user = session.logName();
        Optional<Transfer> transfer = verb != null && verb.transfers() ? session.transfers().startedTransfer() : Optional.empty();
        if (transfer.isEmpty()) {
            // the reply to this command: only ABOR, STAT and QUIT run beside a transfer, and a
            // transfer's final reply in the instant between theirs and this read is the one miscount
            record(verb, line, user, session.replies().last(), OptionalLong.empty(), System.nanoTime() - started);
            return;
        }
        transfer.get().whenFinished(done -> {
            Reply outcome = done.outcome();
            Metrics.Direction direction = verb.writes() ? Metrics.Direction.UPLOAD
                    : verb == Verb.RETR ? Metrics.Direction.DOWNLOAD : Metrics.Direction.LISTING;
            server.metrics().transfer(direction, outcome != null && outcome.isPositive(), done.progress().bytes(),
                    done.nanos());
            record(verb, line, user, outcome, OptionalLong.of(done.progress().bytes()), System.nanoTime() - started);
        });
    }

    private void record(Verb verb, String line, String user, Reply reply, OptionalLong bytes, long nanos) {
        int code = reply == null ? 0 : reply.code();
        server.metrics().command(verb == null ? null : verb.name(), code);
        if (server.log().logsCommands()) {
            server.log().finished(new CommandRecord(id, user, client(), line, code,
                    reply == null ? "" : String.join("\n", reply.lines()), bytes, nanos));
        }
    }

    /** The client's address as the logs show it. */
    private String client() {
        return client.getAddress().getHostAddress();
    }

    /** log_ftp_protocol: each line of a reply, as vsftpd logs what it writes. */
    private void logReply(Reply reply) {
        String user = session == null ? "" : session.logName();
        for (String line : reply.wire().split("\r\n")) {
            server.log().reply(id, user, client(), line);
        }
    }

    /** The vsftpd log entry a command makes besides transfers and logins, if any. */
    private static Optional<ActivityLog.Action> action(Request request) {
        Verb verb = Verb.find(request.verb());
        if (verb == null) {
            return Optional.empty();
        }
        return switch (verb) {
            case MKD -> Optional.of(ActivityLog.Action.MKDIR);
            case RMD -> Optional.of(ActivityLog.Action.RMDIR);
            case DELE -> Optional.of(ActivityLog.Action.DELETE);
            case RNTO -> Optional.of(ActivityLog.Action.RENAME);
            case SITE -> request.argument().strip().toUpperCase(Locale.ROOT).startsWith("CHMOD ")
                    ? Optional.of(ActivityLog.Action.CHMOD) : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** What the entry names, worked out before the command runs: the absolute path (RENAME: "from to"). */
    private String target(Request request) {
        try {
            String argument = request.argument();
            if (request.verb().equals("SITE")) {
                String[] words = argument.strip().split(" ", 3);
                return words.length == 3 ? session.user().virtualPath(words[2]).toString() : "";
            }
            String path = session.user().virtualPath(argument).toString();
            if (request.verb().equals("RNTO")) {
                return session.renameFrom().map(from -> from + " ").orElse("") + path;
            }
            return path;
        } catch (RuntimeException invalid) {
            return request.argument(); // an invalid name: the command fails, log what was asked
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
        if (current == null || current.transfers().transfer().isEmpty()) {
            tellAndClose();
        }
    }

    /** The last step of a stop: whatever is still running is cut. */
    public void tellAndClose() {
        stopping = true;
        Session current = session;
        if (current != null) {
            // a transfer that has just replied: its 226 goes out before this 421
            current.transfers().finishedTransfer().ifPresent(Transfer::join);
            tellStopping(current.replies());
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    /**
     * The 421 of a stop, once: the session's own thread and the stopping thread may both try, and
     * neither returns (to close the socket) before the 421 is out.
     */
    private void tellStopping(ReplyWriter replies) {
        telling.lock();
        try {
            if (!told) {
                told = true;
                replies.sendClosing(Reply.of(421, "Server is shutting down."));
            }
        } catch (IOException ignored) {
            // the client is gone already
        } finally {
            telling.unlock();
        }
    }

    public boolean transferring() {
        Session current = session;
        return current != null && current.transfers().transfer().isPresent();
    }
}
