package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.auth.PasswordHash;
import dev.ferry.server.auth.UserStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A crash mid-upload leaves a hidden temp file; the next start removes it, in every served root. */
@Timeout(30)
class StartupRecoveryIT {

    @TempDir
    Path disk;

    @Test
    void leftoversOfInterruptedUploadsAreRemovedAtStartup() throws Exception {
        Path pub = Files.createDirectories(disk.resolve("pub/deep"));
        Path home = Files.createDirectories(disk.resolve("home/u"));
        Path anonLeftover = Files.write(pub.resolve(".ferry-upload-0123456789abcdef.part"), new byte[10]);
        Path userLeftover = Files.write(home.resolve(".ferry-upload-fedcba9876543210.part"), new byte[10]);
        Path kept = Files.write(pub.resolve("real.txt"), new byte[3]);
        Path outside = Files.write(disk.resolve(".ferry-upload-00000000000000aa.part"), new byte[1]);
        Path users = Files.writeString(disk.resolve("users"), "u:" + PasswordHash.sha512Crypt("pw") + ":" + home + "\n");
        try (TestServer server = TestServer.builder().local(disk).set("anon_root", disk.resolve("pub").toString())
                .set("local_enable", "YES").users(UserStore.load(users)).start()) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while ((Files.exists(anonLeftover) || Files.exists(userLeftover)) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.notExists(anonLeftover), "leftover in the anonymous root");
            assertTrue(Files.notExists(userLeftover), "leftover in a user's home");
            assertTrue(Files.exists(kept), "real files stay");
            assertTrue(Files.exists(outside), "nothing outside the served roots is touched");
        }
    }
}
