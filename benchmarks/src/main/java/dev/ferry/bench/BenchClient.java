package dev.ferry.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.zip.CRC32;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;

/**
 * The one client every figure uses: Commons Net in passive binary mode, with Nagle off on its own
 * control socket so that only the server's reply path decides how fast a small transfer ends. Data
 * is read and written through the raw data socket with one reused buffer, so the client's own
 * copying is the same for every server.
 */
public final class BenchClient extends FTPClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final byte[] buffer = new byte[64 * 1024];

    /** Connects to {@code host:port} and logs in; passive, binary. */
    public static BenchClient login(String host, int port, String user, String password) throws IOException {
        BenchClient client = new BenchClient();
        client.setConnectTimeout((int) TIMEOUT.toMillis());
        client.setDefaultTimeout((int) TIMEOUT.toMillis());
        try {
            client.connect(host, port);
            client.setTcpNoDelay(true);
            client.setSoTimeout((int) TIMEOUT.toMillis());
            ClientSteps.logInBinary(client, user, password);
            return client;
        } catch (IOException e) {
            client.quietly();
            throw e;
        }
    }

    /** RETR {@code name} to the end; returns the byte count and adds the bytes to {@code crc} if given. */
    public long retrieve(String name, CRC32 crc) throws IOException {
        long total;
        try (Socket data = openData("RETR", name); InputStream in = data.getInputStream()) {
            total = DataCopy.drain(in, buffer, crc);
        }
        ClientSteps.finish(this, "RETR " + name);
        return total;
    }

    /** STOR {@code size} bytes of {@code pattern} (repeated) as {@code name}. */
    public long store(String name, byte[] pattern, long size) throws IOException {
        try (Socket data = openData("STOR", name); OutputStream out = data.getOutputStream()) {
            DataCopy.fill(out, pattern, size);
        }
        ClientSteps.finish(this, "STOR " + name);
        return size;
    }

    /** A command the server answered with a refusal instead of opening the data connection. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    /** LIST {@code dir} read to the end; returns the number of lines. */
    public int listLines(String dir) throws IOException {
        return listLines("LIST", dir);
    }

    /** {@code command} (LIST, NLST, MLSD) of {@code dir} read to the end; returns the number of lines. */
    public int listLines(String command, String dir) throws IOException {
        int lines = 0;
        try (Socket data = openData(command, dir); InputStream in = data.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        ClientSteps.finish(this, command + " " + dir);
        return lines;
    }

    /** Sends NOOP; true on a 200. */
    public boolean answersNoop() throws IOException {
        return FTPReply.isPositiveCompletion(noop());
    }

    /** QUIT and close, ignoring failures: used on the way out. */
    public void quietly() {
        ClientSteps.quietly(this);
    }

    private Socket openData(String command, String argument) throws IOException {
        Socket data = _openDataConnection_(command, argument);
        if (data == null) {
            throw new Refused(command + " " + argument + " refused: " + getReplyString().strip());
        }
        return data;
    }
}
