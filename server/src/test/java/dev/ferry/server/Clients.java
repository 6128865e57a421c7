package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.auth.PasswordHash;
import dev.ferry.server.auth.UserStore;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;

/** What the transfer tests share: a writable local user, checksums, and a raw control client. */
final class Clients {

    static final String USER = "writer";
    static final String PASSWORD = "s3cret";

    private static final Pattern PASV_REPLY = Pattern.compile("\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\)");
    private static final Pattern EPSV_REPLY = Pattern.compile("\\(\\|\\|\\|(\\d+)\\|\\)");

    private Clients() {
    }

    /** A server builder with one local user who may write, homed at the storage root. */
    static TestServer.Builder writable(Path tempDir) throws Exception {
        Path file = tempDir.resolve("users");
        Files.writeString(file, USER + ":" + PasswordHash.sha512Crypt(PASSWORD) + "\n");
        return TestServer.builder()
                .set("local_enable", "YES")
                .set("write_enable", "YES")
                .users(UserStore.load(file));
    }

    /** A connected client logged in as the writable user, passive mode, binary type. */
    static FTPClient writer(TestServer server) throws IOException {
        FTPClient client = server.connect();
        assertTrue(client.login(USER, PASSWORD), client.getReplyString());
        client.enterLocalPassiveMode();
        assertTrue(client.setFileType(FTP.BINARY_FILE_TYPE), client.getReplyString());
        return client;
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] retrieve(FTPClient client, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(client.retrieveFile(name, out), client.getReplyString());
        assertEquals(226, client.getReplyCode(), client.getReplyString());
        return out.toByteArray();
    }

    /** The port of a 227 reply. */
    static int pasvPort(String reply) {
        Matcher m = PASV_REPLY.matcher(reply);
        assertTrue(m.find(), reply);
        return Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6));
    }

    /** The address of a 227 reply, dotted. */
    static String pasvHost(String reply) {
        Matcher m = PASV_REPLY.matcher(reply);
        assertTrue(m.find(), reply);
        return m.group(1) + "." + m.group(2) + "." + m.group(3) + "." + m.group(4);
    }

    /** The port of a 229 reply. */
    static int epsvPort(String reply) {
        Matcher m = EPSV_REPLY.matcher(reply);
        assertTrue(m.find(), reply);
        return Integer.parseInt(m.group(1));
    }

    static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    /**
     * A control connection driven line by line, for what FTPClient cannot do: commands while a
     * data stream is open without reading its reply at once, data sockets from chosen addresses.
     */
    static final class Raw implements AutoCloseable {
        final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Raw(TestServer server) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            socket.setSoTimeout(20_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
            expect(220);
        }

        /** Logs in as the writable user, binary type. */
        Raw login() throws IOException {
            command("USER " + USER, 331);
            command("PASS " + PASSWORD, 230);
            command("TYPE I", 200);
            return this;
        }

        void send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** One whole reply, multi-line replies joined with newlines. */
        String reply() throws IOException {
            String first = in.readLine();
            if (first == null) {
                throw new IOException("control connection closed");
            }
            StringBuilder text = new StringBuilder(first);
            if (first.length() > 3 && first.charAt(3) == '-') {
                String end = first.substring(0, 3) + " ";
                String line;
                // a multi-line reply ends with "code<SP>"; the read timeout bounds this loop
                do {
                    line = in.readLine();
                    if (line == null) {
                        throw new IOException("control connection closed in a multi-line reply");
                    }
                    text.append('\n').append(line);
                } while (!line.startsWith(end));
            }
            return text.toString();
        }

        String expect(int code) throws IOException {
            String reply = reply();
            assertTrue(reply.startsWith(code + " "), "expected " + code + ", got: " + reply);
            return reply;
        }

        String command(String line, int code) throws IOException {
            send(line);
            return expect(code);
        }

        /** PASV and a data socket connected to it. */
        Socket passive() throws IOException {
            int port = pasvPort(command("PASV", 227));
            Socket data = new Socket();
            data.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            data.setSoTimeout(20_000);
            return data;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A run of {@code size} ports that are free right now, from the upper unprivileged range. */
    static int freeRange(int size) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int start = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            List<ServerSocket> probes = new ArrayList<>();
            try {
                for (int port = start; port < start + size; port++) {
                    ServerSocket probe = new ServerSocket();
                    probes.add(probe);
                    probe.setReuseAddress(true);
                    probe.bind(new InetSocketAddress("127.0.0.1", port));
                }
                return start;
            } catch (IOException taken) {
                // try another start
            } finally {
                for (ServerSocket probe : probes) {
                    probe.close();
                }
            }
        }
        throw new IOException("no free port range found");
    }
}
