package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transfer whose client stops must never hold the carrier it runs on. Ferry runs as its own
 * process with one carrier thread and no compensating ones.
 * <ul>
 *   <li>DESIGN.md, "Zero-copy downloads": two clients start sendfile downloads of a 256 MiB file
 *       and never read them. With sendfile on a blocking descriptor, or a loop spinning on its zero
 *       returns, the only carrier is taken and the next session times out.</li>
 *   <li>Uploads read the data connection straight into the file (UploadReceiver): two clients
 *       send part of an upload and then nothing, without closing. A read that blocked its carrier
 *       would take the only one the same way.</li>
 * </ul>
 * In both, another session must still log in, list, upload and download byte-exact, and the stuck
 * ones answer STAT and ABOR.
 */
@Timeout(180)
class OneCarrierIT {

    private static final List<String> ONE_CARRIER = List.of("-Djdk.virtualThreadScheduler.parallelism=1",
            "-Djdk.virtualThreadScheduler.maxPoolSize=1");

    @TempDir
    Path tempDir;

    @Test
    void clientsThatNeverReadDoNotStopAnotherSession() throws Exception {
        Path root = Files.createDirectories(tempDir.resolve("root"));
        ZeroCopyDownloadIT.sparse(root.resolve("big.bin"), 256L * 1024 * 1024);
        byte[] content = Clients.random(5 * 1024 * 1024 + 11, 1);
        Files.write(root.resolve("file.bin"), content);
        Path config = Files.write(tempDir.resolve("ferry.conf"), List.of(
                "listen_address=127.0.0.1",
                "listen_port=0",
                "storage=local",
                "local_storage_root=" + root,
                "anon_root=" + root));
        try (FerryProcess ferry = FerryProcess.start(config, tempDir.resolve("ferry.log"), ONE_CARRIER);
             RawClient first = RawClient.anonymous(ferry.port);
             RawClient second = RawClient.anonymous(ferry.port);
             Socket firstData = stuck(first);
             Socket secondData = stuck(second)) {
            assertEquals(150, first.command("RETR big.bin").code());
            assertEquals(150, second.command("RETR big.bin").code());
            long stalled = stalledAt(first);
            stalledAt(second);

            FTPClient other = anotherSession(ferry.port);
            try {
                assertTrue(other.listNames().length >= 2, other.getReplyString());
                assertEquals(Clients.sha256(content), Clients.sha256(Clients.retrieve(other, "file.bin")));
                int offset = 3 * 64 * 1024 + 1;
                other.setRestartOffset(offset);
                assertEquals(Clients.sha256(Arrays.copyOfRange(content, offset, content.length)),
                        Clients.sha256(Clients.retrieve(other, "file.bin")));
                other.logout();
            } finally {
                other.disconnect();
            }

            // the stuck downloads did not move meanwhile, and still answer
            assertEquals(stalled, bytes(first));
            assertEquals(426, first.command("ABOR").code());
            assertEquals(226, first.reply().code());
            assertEquals(426, second.command("ABOR").code());
            assertEquals(226, second.reply().code());
            assertEquals(221, first.command("QUIT").code());
        }
    }

    @Test
    void clientsThatStopSendingDoNotStopAnotherSession() throws Exception {
        Path root = Files.createDirectories(tempDir.resolve("root"));
        Path incoming = Files.createDirectories(root.resolve("incoming"));
        byte[] content = Clients.random(5 * 1024 * 1024 + 11, 2);
        Path config = Files.write(tempDir.resolve("ferry.conf"), List.of(
                "listen_address=127.0.0.1",
                "listen_port=0",
                "storage=local",
                "local_storage_root=" + root,
                "anon_root=" + root,
                "write_enable=YES",
                "anon_upload_enable=YES",
                "anon_other_write_enable=YES",
                "anon_world_readable_only=NO"));
        byte[] part = Clients.random(100 * 1024, 3);
        try (FerryProcess ferry = FerryProcess.start(config, tempDir.resolve("ferry.log"), ONE_CARRIER);
             RawClient first = RawClient.anonymous(ferry.port);
             RawClient second = RawClient.anonymous(ferry.port);
             Socket firstData = sending(first, "incoming/first.bin", part);
             Socket secondData = sending(second, "incoming/second.bin", part)) {
            assertEquals(part.length, stalledAt(first));
            assertEquals(part.length, stalledAt(second));

            FTPClient other = anotherSession(ferry.port);
            try {
                assertTrue(other.storeFile("incoming/other.bin", new java.io.ByteArrayInputStream(content)),
                        other.getReplyString());
                assertEquals(Clients.sha256(content), Clients.sha256(Clients.retrieve(other, "incoming/other.bin")));
                assertTrue(other.listNames("incoming").length >= 1, other.getReplyString());
                other.logout();
            } finally {
                other.disconnect();
            }

            // the stuck uploads still answer; aborted, they leave nothing under their names
            assertEquals(part.length, bytes(first));
            assertEquals(426, first.command("ABOR").code());
            assertEquals(226, first.reply().code());
            assertEquals(426, second.command("ABOR").code());
            assertEquals(226, second.reply().code());
            assertEquals(221, first.command("QUIT").code());
            try (var names = Files.list(incoming)) {
                assertEquals(List.of("other.bin"), names.map(p -> p.getFileName().toString()).sorted().toList());
            }
        }
    }

    /** A Commons Net client logged in anonymously, passive and binary, with timeouts a stalled server trips. */
    private static FTPClient anotherSession(int port) throws Exception {
        FTPClient other = new FTPClient();
        other.setConnectTimeout(10_000);
        other.setDefaultTimeout(20_000);
        other.connect("127.0.0.1", port);
        other.setSoTimeout(20_000);
        assertTrue(other.login("anonymous", "test@example.com"), other.getReplyString());
        other.enterLocalPassiveMode();
        assertTrue(other.setFileType(FTP.BINARY_FILE_TYPE), other.getReplyString());
        return other;
    }

    /** Binary type, PASV, a STOR answered 150, and {@code part} sent on its data connection, which stays open. */
    private static Socket sending(RawClient client, String name, byte[] part) throws Exception {
        assertEquals(200, client.command("TYPE I").code());
        RawClient.Reply pasv = client.command("PASV");
        assertEquals(227, pasv.code(), pasv.text());
        Socket data = new Socket();
        data.connect(new InetSocketAddress("127.0.0.1", Clients.pasvPort(pasv.text())), 10_000);
        assertEquals(150, client.command("STOR " + name).code());
        data.getOutputStream().write(part);
        data.getOutputStream().flush();
        return data;
    }

    /** Binary type, PASV, and a data connection with a tiny receive window the test never reads. */
    private static Socket stuck(RawClient client) throws Exception {
        assertEquals(200, client.command("TYPE I").code());
        RawClient.Reply pasv = client.command("PASV");
        assertEquals(227, pasv.code(), pasv.text());
        Socket data = new Socket();
        data.setReceiveBufferSize(4096);
        data.connect(new InetSocketAddress("127.0.0.1", Clients.pasvPort(pasv.text())), 10_000);
        return data;
    }

    /** STAT until the byte count stops moving: the socket buffers are full. */
    private static long stalledAt(RawClient client) throws Exception {
        long last = -1;
        for (int i = 0; i < 100; i++) {
            long now = bytes(client);
            if (now == last && now > 0) {
                return now;
            }
            last = now;
            Thread.sleep(200);
        }
        throw new AssertionError("the download never stalled: " + last);
    }

    private static long bytes(RawClient client) throws Exception {
        RawClient.Reply status = client.command("STAT");
        String text = String.join("\n", status.lines());
        assertEquals(211, status.code(), text);
        Matcher m = Pattern.compile("(\\d+) bytes").matcher(text);
        assertTrue(m.find(), text);
        return Long.parseLong(m.group(1));
    }
}
