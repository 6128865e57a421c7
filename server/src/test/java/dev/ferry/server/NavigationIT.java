package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.storage.StoragePath;
import java.nio.file.Path;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** PWD, CWD, CDUP and their X aliases (RFC 959 section 4.1.1, RFC 775). */
@Timeout(60)
class NavigationIT {

    @TempDir
    static Path dir;
    static TestServer server;
    FTPClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestUsers.writable(dir).start();
        server.put("/pub/sub/file.txt", new byte[] {1});
        server.storage.createDirectory(StoragePath.parse("/a\"b"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void login() throws Exception {
        client = TestUsers.writer(server);
    }

    @AfterEach
    void logout() throws Exception {
        client.disconnect();
    }

    private String reply() {
        return client.getReplyString().strip();
    }

    @Test
    void pwdStartsAtRoot() throws Exception {
        assertEquals(257, client.sendCommand("PWD"));
        assertEquals("257 \"/\" is the current directory", reply());
        assertEquals(257, client.sendCommand("XPWD"));
        assertEquals("257 \"/\" is the current directory", reply());
    }

    @Test
    void pwdDoublesQuotesInTheName() throws Exception {
        assertEquals(250, client.sendCommand("CWD", "a\"b"), reply());
        assertEquals(257, client.sendCommand("PWD"));
        // RFC 959 appendix II: embedded quotes are doubled
        assertEquals("257 \"/a\"\"b\" is the current directory", reply());
        assertEquals("/a\"b", client.printWorkingDirectory(), "commons-net undoubles them");
    }

    @Test
    void cwdAndCdupWithAliases() throws Exception {
        assertEquals(250, client.sendCommand("CWD", "pub"));
        assertEquals("250 Directory successfully changed.", reply());
        assertEquals("/pub", client.printWorkingDirectory());
        assertEquals(250, client.sendCommand("XCWD", "sub"), reply());
        assertEquals("/pub/sub", client.printWorkingDirectory());
        assertEquals(250, client.sendCommand("CDUP"), reply());
        assertEquals("/pub", client.printWorkingDirectory());
        assertEquals(250, client.sendCommand("XCUP"), reply());
        assertEquals("/", client.printWorkingDirectory());
        assertEquals(250, client.sendCommand("CDUP"), "CDUP at the root stays there: " + reply());
        assertEquals("/", client.printWorkingDirectory());
    }

    @Test
    void cwdResolvesAbsoluteAndDottedPaths() throws Exception {
        assertEquals(250, client.sendCommand("CWD", "/pub/sub/"), reply());
        assertEquals("/pub/sub", client.printWorkingDirectory());
        assertEquals(250, client.sendCommand("CWD", "../sub/./.."), reply());
        assertEquals("/pub", client.printWorkingDirectory());
        assertEquals(250, client.sendCommand("CWD", "//pub//sub"), reply());
        assertEquals("/pub/sub", client.printWorkingDirectory());
        assertEquals(250, client.sendCommand("CWD", "/"), reply());
        assertEquals("/", client.printWorkingDirectory());
    }

    @Test
    void cwdToAFileOrNowhereFails() throws Exception {
        assertEquals(550, client.sendCommand("CWD", "pub/sub/file.txt"), reply());
        assertEquals(550, client.sendCommand("CWD", "missing"), reply());
        assertEquals("/", client.printWorkingDirectory(), "a failed CWD leaves the directory alone");
        assertEquals(501, client.sendCommand("CWD"), reply());
    }

    @Test
    void lowerCaseVerbsWork() throws Exception {
        assertEquals(250, client.sendCommand("cwd", "pub"), reply());
        assertEquals(257, client.sendCommand("pwd"));
        assertEquals("257 \"/pub\" is the current directory", reply());
        assertEquals(250, client.sendCommand("cdup"), reply());
        assertEquals(257, client.sendCommand("xPwd"));
        assertEquals("257 \"/\" is the current directory", reply());
    }
}
