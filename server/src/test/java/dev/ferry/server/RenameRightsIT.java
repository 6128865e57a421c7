package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** RNTO onto an existing file replaces it, so it needs the overwrite right as well as rename. */
@Timeout(30)
class RenameRightsIT {

    @TempDir
    Path tempDir;

    @Test
    void renameCannotReplaceAFileWithoutTheOverwriteRight() throws Exception {
        Path rules = Files.writeString(tempDir.resolve("rules"), "/ " + Clients.USER + " list,read,write,rename\n");
        try (TestServer server = Clients.writable(tempDir).set("access_rules_file", rules.toString()).start()) {
            server.put("/kept.txt", new byte[] {1, 2, 3});
            server.put("/other.txt", new byte[] {9});
            FTPClient client = Clients.writer(server);
            assertEquals(350, client.sendCommand("RNFR", "other.txt"), client.getReplyString());
            assertEquals(550, client.sendCommand("RNTO", "kept.txt"), client.getReplyString());
            assertEquals(350, client.sendCommand("RNFR", "other.txt"), client.getReplyString());
            assertEquals(250, client.sendCommand("RNTO", "new.txt"), client.getReplyString());
            assertArrayEquals(new byte[] {1, 2, 3}, Clients.retrieve(client, "kept.txt"), "the existing file is untouched");
            client.disconnect();
        }
    }
}
