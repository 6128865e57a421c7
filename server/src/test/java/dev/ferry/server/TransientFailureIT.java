package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.storage.MemoryStorage;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storage that fails for a moment is an error the client hears about (451, try again), never
 * an answer such as "absent" that a check then acts on: RNTO would skip its overwrite check.
 */
@Timeout(60)
class TransientFailureIT {

    private static final byte[] OLD = "kept\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    /** The memory backend, whose stat of any path named {@code flaky} fails as a dropped connection would. */
    private static Storage flakyStat(Storage real) {
        return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("stat") && ((StoragePath) args[0]).name().equals("flaky")) {
                        throw new StorageException.Transient((StoragePath) args[0], "connection reset", null);
                    }
                    if (method.isDefault() && real.getClass().getMethod(method.getName(), method.getParameterTypes()).isDefault()) {
                        // a default the real storage keeps (openRead with a check: stat, then open) uses the flaky stat
                        return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    try {
                        Object result = method.invoke(real, args);
                        return method.getName().equals("scoped") ? flakyStat((Storage) result) : result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void rntoOntoAFileWhoseStatFailsIsRefusedWith451AndReplacesNothing() throws Exception {
        Storage storage = flakyStat(new MemoryStorage());
        try (TestServer server = TestServer.builder().storage(storage).start()) {
            server.put("/flaky", OLD);
            server.put("/other", "new\n".getBytes(StandardCharsets.UTF_8));
            FTPClient client = server.anonymous();
            assertEquals(451, client.sendCommand("SIZE flaky"), client.getReplyString());
            client.disconnect();
        }
        try (TestServer server = TestUsers.writable(dir).storage(storage).start()) {
            FTPClient client = TestUsers.writer(server);
            // RNTO replaces an existing file only with the overwrite right: not knowing is not "absent"
            assertEquals(350, client.sendCommand("RNFR other"), client.getReplyString());
            assertEquals(451, client.sendCommand("RNTO flaky"), client.getReplyString());
            assertEquals(451, client.sendCommand("STOR flaky"), client.getReplyString());
            client.disconnect();
            try (var in = Channels.newInputStream(storage.openRead(StoragePath.parse("/flaky"), 0))) {
                assertArrayEquals(OLD, in.readAllBytes());
            }
        }
    }

    @Test
    void aLoginWhoseHomeTheStorageCannotReachIs421NotAWrongPassword() throws Exception {
        Storage storage = flakyStat(new MemoryStorage());
        try (TestServer server = TestServer.builder().storage(storage).set("local_enable", "YES")
                .users(TestUsers.of(dir, "alice:" + dev.ferry.server.auth.PasswordHash.sha512Crypt("pw") + ":/flaky"))
                .start()) {
            server.put("/flaky/f.txt", OLD);
            FTPClient client = server.connect();
            assertEquals(331, client.sendCommand("USER alice"), client.getReplyString());
            // Commons Net reads a 421 as the server closing the connection, which it then does
            org.junit.jupiter.api.Assertions.assertThrows(org.apache.commons.net.ftp.FTPConnectionClosedException.class,
                    () -> client.sendCommand("PASS pw"));
            org.junit.jupiter.api.Assertions.assertTrue(client.getReplyString().startsWith("421 ")
                    && client.getReplyString().contains("storage cannot be reached"), client.getReplyString());
        }
    }

    @Test
    void aDownloadTheStorageFailsToOpenIsLoggedAsAFailedTransfer() throws Exception {
        Storage storage = flakyStat(new MemoryStorage());
        java.nio.file.Path xferlog = dir.resolve("xferlog");
        try (TestServer server = TestServer.builder().storage(storage).set("xferlog_enable", "YES")
                .set("xferlog_std_format", "YES").set("xferlog_file", xferlog.toString()).start()) {
            server.put("/flaky", OLD);
            FTPClient client = server.anonymous();
            org.junit.jupiter.api.Assertions.assertNull(client.retrieveFileStream("flaky"));
            assertEquals(451, client.getReplyCode(), client.getReplyString());
            client.disconnect();
        }
        String line = LogFiles.await(xferlog, text -> text.contains("/flaky")).stream()
                .filter(text -> text.contains("/flaky")).findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertTrue(line.strip().endsWith(" i"), "an incomplete transfer: " + line);
    }
}
