package dev.ferry.server;

import dev.ferry.server.auth.PasswordHash;
import dev.ferry.server.auth.UserStore;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Users files for client tests, written to a temporary directory and loaded like the server does. */
final class TestUsers {

    private TestUsers() {
    }

    /** {@code lines} in the users file format {@code name:hash[:home[:groups]]}. */
    static UserStore of(Path dir, String... lines) throws Exception {
        Path file = Files.createTempFile(dir, "users", ".txt");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return UserStore.load(file);
    }

    /** A server where user "writer" (password "secret") has the whole storage as home and may write. */
    static TestServer.Builder writable(Path dir) throws Exception {
        return TestServer.builder().set("local_enable", "YES").set("write_enable", "YES")
                .users(of(dir, "writer:" + PasswordHash.sha512Crypt("secret")));
    }

    /** Logs in as "writer", passive mode, binary type. */
    static FTPClient writer(TestServer server) throws Exception {
        FTPClient client = server.connect();
        if (!client.login("writer", "secret")) {
            throw new IllegalStateException("login failed: " + client.getReplyString());
        }
        client.enterLocalPassiveMode();
        client.setFileType(FTP.BINARY_FILE_TYPE);
        return client;
    }
}
