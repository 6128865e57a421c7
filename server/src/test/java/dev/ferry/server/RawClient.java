package dev.ferry.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A control connection without a client library, for what FTPClient would hide or refuse to send:
 * telnet bytes, bare LF, NUL, over-long lines. Every read is bounded by the socket timeout.
 */
final class RawClient implements AutoCloseable {

    /** One reply as read from the wire: its code and its lines without CRLF. */
    record Reply(int code, List<String> lines) {
        String last() {
            return lines.getLast();
        }

        /** The text of the last line after the code. */
        String text() {
            return last().length() > 4 ? last().substring(4) : "";
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    /** A client on a socket the test connected itself (from a chosen address, after a PROXY header...). */
    RawClient(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Connects and reads the 220 greeting. */
    static RawClient connect(int port) throws IOException {
        RawClient client = new RawClient(port);
        Reply greeting = client.reply();
        if (greeting.code() != 220) {
            client.close();
            throw new IOException("no greeting: " + greeting);
        }
        return client;
    }

    /** Connects and logs in anonymously. */
    static RawClient anonymous(int port) throws IOException {
        RawClient client = connect(port);
        client.command("USER anonymous");
        Reply reply = client.command("PASS test@example.com");
        if (reply.code() != 230) {
            client.close();
            throw new IOException("anonymous login failed: " + reply);
        }
        return client;
    }

    /** The port this client connects from. */
    int localPort() {
        return socket.getLocalPort();
    }

    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One byte as TCP urgent data, as BSD ftp(1) sends the IAC before DM when it aborts. */
    void sendUrgent(int b) throws IOException {
        out.flush();
        socket.sendUrgentData(b);
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code line} with CRLF and reads the reply. */
    Reply command(String line) throws IOException {
        send(line + "\r\n");
        return reply();
    }

    /** One line without its CRLF, decoded as UTF-8; null when the server closed the connection. */
    String line() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        for (int i = 0; i < 1_000_000; i++) {
            int b = in.read();
            if (b < 0) {
                return buffer.size() == 0 ? null : buffer.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                String text = buffer.toString(StandardCharsets.UTF_8);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            buffer.write(b);
        }
        throw new IOException("reply line longer than a million bytes");
    }

    /** A whole reply, multi-line ones included (RFC 959 section 4.2). */
    Reply reply() throws IOException {
        String first = line();
        if (first == null) {
            throw new IOException("connection closed by the server");
        }
        if (first.length() < 4 || !first.substring(0, 3).chars().allMatch(Character::isDigit)) {
            throw new IOException("not a reply: " + first);
        }
        int code = Integer.parseInt(first.substring(0, 3));
        List<String> lines = new ArrayList<>();
        lines.add(first);
        if (first.charAt(3) == '-') {
            String end = code + " ";
            for (int i = 0; i < 100_000; i++) {
                String next = line();
                if (next == null) {
                    throw new IOException("connection closed inside a multi-line reply: " + lines);
                }
                lines.add(next);
                if (next.startsWith(end)) {
                    return new Reply(code, lines);
                }
            }
            throw new IOException("multi-line reply without an end");
        }
        return new Reply(code, lines);
    }

    /** True when the server closes the connection before {@code millis} pass and sends nothing more. */
    boolean closedByServer(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true; // a reset is a close too
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
