package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SmokeIT {

    @Test
    void anonymousCanListAndDownload() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            byte[] content = "hello ferry\n".getBytes(StandardCharsets.UTF_8);
            server.put("/pub/hello.txt", content);
            FTPClient client = server.anonymous();
            assertTrue(client.changeWorkingDirectory("pub"), client.getReplyString());
            FTPFile[] files = client.listFiles();
            assertEquals(1, files.length);
            assertEquals("hello.txt", files[0].getName());
            assertEquals(content.length, files[0].getSize());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertTrue(client.retrieveFile("hello.txt", out), client.getReplyString());
            assertArrayEquals(content, out.toByteArray());
            assertEquals("/pub", client.printWorkingDirectory());
            client.logout();
            client.disconnect();
        }
    }
}
