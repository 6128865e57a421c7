package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;
import java.util.zip.CRC32;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HASH (draft-bryan-ftpext-hash-02) and XCRC/XMD5/XSHA1/XSHA256/XSHA512 give the checksum of the
 * bytes a RETR would deliver, on every backend (S3 answers some from its stored ETag/checksum).
 */
@Timeout(60)
class HashIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.ferry.server.Backends#all")
    void checksumsMatchTheBytes(Backends.Backend backend) throws Exception {
        byte[] content = new byte[300_001];
        new Random(3).nextBytes(content);
        try (TestServer server = backend.builder(dir).set("anon_root", backend.configured(dir, "/")).start()) {
            server.put("/data/file.bin", content);
            server.put("/data/empty", new byte[0]);
            FTPClient client = server.anonymous();

            assertTrue(client.features(), client.getReplyString());
            assertTrue(client.getReplyString().contains(" HASH CRC32;MD5;SHA-1;SHA-256*;SHA-512"),
                    client.getReplyString());

            assertEquals(213, client.sendCommand("HASH", "data/file.bin"), client.getReplyString());
            assertEquals("213 SHA-256 0-300000 " + hex("SHA-256", content) + " data/file.bin",
                    client.getReplyString().strip());
            for (String algorithm : new String[] {"MD5", "SHA-1", "SHA-512", "CRC32"}) {
                assertEquals(200, client.sendCommand("OPTS", "HASH " + algorithm), client.getReplyString());
                assertEquals(213, client.sendCommand("HASH", "/data/file.bin"), client.getReplyString());
                assertEquals("213 " + algorithm + " 0-300000 " + hex(algorithm, content) + " /data/file.bin",
                        client.getReplyString().strip());
            }
            assertTrue(client.features());
            assertTrue(client.getReplyString().contains(" HASH CRC32*;MD5;SHA-1;SHA-256;SHA-512"), client.getReplyString());

            assertEquals(250, client.sendCommand("XMD5", "data/file.bin"));
            assertEquals("250 " + hex("MD5", content), client.getReplyString().strip());
            assertEquals(250, client.sendCommand("XSHA256", "data/file.bin"));
            assertEquals("250 " + hex("SHA-256", content), client.getReplyString().strip());
            assertEquals(250, client.sendCommand("XCRC", "data/file.bin"));
            assertEquals("250 " + hex("CRC32", content), client.getReplyString().strip());
            assertEquals(250, client.sendCommand("XSHA1", "data/empty"));
            assertEquals("250 " + hex("SHA-1", new byte[0]), client.getReplyString().strip());

            assertEquals(501, client.sendCommand("OPTS", "HASH WHIRLPOOL"), client.getReplyString());
            assertEquals(550, client.sendCommand("HASH", "data"), client.getReplyString());
            assertEquals(550, client.sendCommand("XMD5", "data/missing"), client.getReplyString());
            assertEquals(501, client.sendCommand("HASH"), client.getReplyString());
            client.disconnect();
        }
    }

    static String hex(String algorithm, byte[] content) throws Exception {
        if (algorithm.equals("CRC32")) {
            CRC32 crc = new CRC32();
            crc.update(content);
            return String.format(Locale.ROOT, "%08x", crc.getValue());
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    }

    /**
     * A digest reads the whole file on the server, so it is bounded like a download: it needs a
     * max_transfers slot (450 while they are all taken) and reads at the session's rate.
     */
    @Test
    void aComputedChecksumTakesATransferSlotAndObeysTheRateLimit() throws Exception {
        byte[] content = new byte[600 * 1024];
        new Random(5).nextBytes(content);
        try (TestServer server = TestServer.builder().set("max_transfers", "1").set("anon_max_rate", "300000").start()) {
            server.put("/big.bin", new byte[32 * 1024 * 1024]);
            server.put("/file.bin", content);
            FTPClient busy = server.anonymous();
            java.io.InputStream download = busy.retrieveFileStream("big.bin"); // holds the only slot, reads nothing
            FTPClient client = server.anonymous();
            assertEquals(450, client.sendCommand("XSHA256", "file.bin"), client.getReplyString());
            download.close();
            busy.completePendingCommand();
            busy.disconnect();

            long start = System.nanoTime();
            assertEquals(250, client.sendCommand("XSHA256", "file.bin"), client.getReplyString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("250 " + hex("SHA-256", content), client.getReplyString().strip());
            // 600 KiB at 300,000 bytes/s: about two seconds, minus the bucket's first burst
            assertTrue(millis >= 1_000, "HASH ignored anon_max_rate: " + millis + " ms");
            client.disconnect();
        }
    }
}
