package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.server.auth.PasswordHash;
import dev.ferry.server.auth.UserStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clients people actually use — curl, lftp and Python's ftplib — against Ferry serving a
 * directory with the local backend. Each test skips when its client is not installed.
 */
@Timeout(120)
class ExternalClientsIT {

    private static final String PASSWORD = "s3cret pass";

    @TempDir
    Path disk;
    Path pub;
    Path home;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        pub = Files.createDirectories(disk.resolve("pub"));
        home = Files.createDirectories(disk.resolve("home/alice"));
        Files.createDirectories(pub.resolve("nested/deeper"));
        Files.write(pub.resolve("hello.txt"), "hello from ferry\n".getBytes(StandardCharsets.UTF_8));
        Files.write(pub.resolve("nested/random.bin"), random(3 * 1024 * 1024 + 17, 1));
        Files.write(pub.resolve("nested/deeper/with space é.txt"), "unicode name\n".getBytes(StandardCharsets.UTF_8));
        Files.write(pub.resolve("nested/deeper/empty"), new byte[0]);
        Path users = Files.writeString(disk.resolve("users"),
                "alice:" + PasswordHash.sha512Crypt(PASSWORD) + ":" + home + "\n");
        server = TestServer.builder().local(disk)
                .set("anon_root", pub.toString())
                .set("local_enable", "YES")
                .set("write_enable", "YES")
                .users(UserStore.load(users))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String path) {
        return "ftp://127.0.0.1:" + server.port() + path;
    }

    // ---- curl

    @Test
    void curlListsAndDownloadsInPassiveAndActiveMode() throws Exception {
        assumeTrue(installed("curl"), "curl is not installed");
        Result listing = run(disk, "curl", "-sS", url("/"));
        assertEquals(0, listing.exit(), listing.output());
        assertTrue(listing.output().contains("hello.txt") && listing.output().contains("nested"), listing.output());

        Path passive = disk.resolve("passive.bin");
        Result get = run(disk, "curl", "-sS", "-o", passive.toString(), url("/nested/random.bin"));
        assertEquals(0, get.exit(), get.output());
        assertEquals(sha256(pub.resolve("nested/random.bin")), sha256(passive));

        Path active = disk.resolve("active.bin");
        Result port = run(disk, "curl", "-sS", "-P", "127.0.0.1", "-o", active.toString(), url("/nested/random.bin"));
        assertEquals(0, port.exit(), port.output());
        assertEquals(sha256(pub.resolve("nested/random.bin")), sha256(active));

        Path pasv = disk.resolve("pasv.txt");
        Result noEpsv = run(disk, "curl", "-sS", "--disable-epsv", "-o", pasv.toString(), url("/hello.txt"));
        assertEquals(0, noEpsv.exit(), noEpsv.output());
        assertEquals("hello from ferry\n", Files.readString(pasv));
    }

    @Test
    void curlUploadsAsLocalUserAndAnonymousCannot() throws Exception {
        assumeTrue(installed("curl"), "curl is not installed");
        Path source = disk.resolve("upload.bin");
        Files.write(source, random(1024 * 1024 + 3, 2));
        Result put = run(disk, "curl", "-sS", "--ftp-create-dirs", "-u", "alice:" + PASSWORD,
                "-T", source.toString(), url("/incoming/upload.bin"));
        assertEquals(0, put.exit(), put.output());
        assertEquals(sha256(source), sha256(home.resolve("incoming/upload.bin")));

        Result anonymous = run(disk, "curl", "-sS", "-T", source.toString(), url("/upload.bin"));
        assertTrue(anonymous.exit() != 0, "anonymous upload must fail");
        assertTrue(Files.notExists(pub.resolve("upload.bin")));
    }

    @Test
    void curlWithWrongPasswordIsRefused() throws Exception {
        assumeTrue(installed("curl"), "curl is not installed");
        Result result = run(disk, "curl", "-sS", "-u", "alice:wrong", url("/"));
        assertEquals(67, result.exit(), "curl exit 67 = login denied; " + result.output());
    }

    // ---- lftp

    @Test
    void lftpMirrorsATreeDownAndUpIntact() throws Exception {
        assumeTrue(installed("lftp"), "lftp is not installed");
        Path down = disk.resolve("down");
        Result mirror = run(disk, "lftp", "-c", "set net:max-retries 1; set net:timeout 20; "
                + "open -p " + server.port() + " 127.0.0.1; mirror / " + down);
        assertEquals(0, mirror.exit(), mirror.output());
        assertEquals(checksums(pub), checksums(down));

        Result up = run(disk, "lftp", "-c", "set net:max-retries 1; set net:timeout 20; "
                + "open -u alice," + PASSWORD.replace(" ", "\\ ") + " -p " + server.port() + " 127.0.0.1; "
                + "mirror -R " + down + " /copy");
        assertEquals(0, up.exit(), up.output());
        assertEquals(checksums(pub), checksums(home.resolve("copy")));
    }

    // ---- Python ftplib

    @Test
    void pythonFtplibBrowsesDownloadsAndUploads() throws Exception {
        assumeTrue(installed("python3"), "python3 is not installed");
        String script = """
                import ftplib, hashlib, io, sys
                port = int(sys.argv[1])
                f = ftplib.FTP()
                f.connect('127.0.0.1', port, timeout=20)
                f.login()
                print('nlst', sorted(f.nlst()))
                facts = dict(f.mlsd('nested'))
                print('mlsd', facts['random.bin']['type'], facts['random.bin']['size'], facts['deeper']['type'])
                data = io.BytesIO()
                f.retrbinary('RETR nested/random.bin', data.write)
                print('sha', hashlib.sha256(data.getvalue()).hexdigest())
                print('size', f.size('nested/random.bin'))
                f.set_pasv(False)
                lines = []
                f.retrlines('RETR hello.txt', lines.append)
                print('active', lines[0])
                f.quit()
                u = ftplib.FTP()
                u.connect('127.0.0.1', port, timeout=20)
                u.login('alice', sys.argv[2])
                u.mkd('py')
                u.storbinary('STOR py/data.bin', io.BytesIO(b'x' * 100000))
                u.rename('py/data.bin', 'py/renamed.bin')
                print('renamed', u.nlst('py'))
                u.delete('py/renamed.bin')
                u.rmd('py')
                print('pwd', u.pwd())
                u.quit()
                """;
        Path file = Files.writeString(disk.resolve("client.py"), script);
        Result result = run(disk, "python3", file.toString(), Integer.toString(server.port()), PASSWORD);
        assertEquals(0, result.exit(), result.output());
        String out = result.output();
        assertTrue(out.contains("nlst ['hello.txt', 'nested']"), out);
        assertTrue(out.contains("mlsd file " + (3 * 1024 * 1024 + 17) + " dir"), out);
        assertTrue(out.contains("sha " + sha256(pub.resolve("nested/random.bin"))), out);
        assertTrue(out.contains("size " + (3 * 1024 * 1024 + 17)), out);
        assertTrue(out.contains("active hello from ferry"), out);
        assertTrue(out.contains("renamed ['py/renamed.bin']"), out);
        assertTrue(out.contains("pwd /"), out);
        assertTrue(Files.notExists(home.resolve("py")));
    }

    // ---- helpers

    record Result(int exit, String output) {
    }

    private static boolean installed(String command) {
        try {
            Process process = new ProcessBuilder("sh", "-c", "command -v " + command).redirectErrorStream(true).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static Result run(Path directory, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** Relative path of every regular file below {@code root} to its checksum. */
    static Map<String, String> checksums(Path root) throws Exception {
        Map<String, String> sums = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path file : files) {
            sums.put(root.relativize(file).toString(), sha256(file));
        }
        return sums;
    }
}
