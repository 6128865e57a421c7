package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.auth.PasswordHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user_config_dir file that tries to change the user list: the login that reads it logs a
 * warning naming file, line and directive, and the main configuration's list still decides.
 */
@Timeout(60)
class PerUserFileIT {

    @TempDir
    Path dir;

    @Test
    void userListLinesInAUserFileAreRefusedWithAWarning() throws Exception {
        Path userConf = Files.createDirectory(dir.resolve("users"));
        Files.writeString(userConf.resolve("writer"), "userlist_deny=NO\nuserlist_file=" + dir.resolve("none") + "\n");
        Files.writeString(userConf.resolve("bob"), "userlist_deny=NO\n");
        Path list = Files.writeString(dir.resolve("user_list"), "bob\n");
        String hash = PasswordHash.sha512Crypt("secret");
        try (TestServer server = TestServer.builder().set("local_enable", "YES")
                .set("user_config_dir", userConf.toString()).set("userlist_enable", "YES")
                .set("userlist_file", list.toString())
                .users(TestUsers.of(dir, "writer:" + hash, "bob:" + hash)).start();
             CapturedLog log = new CapturedLog("dev.ferry.server.config.ServerConfig")) {
            FTPClient writer = server.connect();
            assertTrue(writer.login("writer", "secret"), writer.getReplyString());
            writer.disconnect();
            List<String> warnings = log.await(line -> line.contains("userlist_file"));
            String file = userConf.resolve("writer").toString();
            assertTrue(warnings.contains(file + ":1: userlist_deny has no effect in a user_config_dir file (it takes "
                    + "effect before the login succeeds, and so before this file is read); left out, the main "
                    + "configuration's value stays"), warnings.toString());
            assertTrue(warnings.stream().anyMatch(line -> line.startsWith(file + ":2: userlist_file has no effect")),
                    warnings.toString());
            // bob's file cannot take him off the list: he is refused at USER, before it is read
            FTPClient bob = server.connect();
            assertEquals(530, bob.sendCommand("USER", "bob"), bob.getReplyString());
            bob.disconnect();
        }
    }
}
