package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.config.ConfigException;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.config.Source;
import dev.ferry.storage.MemoryStorage;
import dev.ferry.storage.StorageException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Starting the server: configuration from the command line (Main.parse) and start-up failures. */
@Timeout(60)
class StartupIT {

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void missingAnonRootFailsClearly() throws Exception {
        ServerConfig config = ServerConfig.load(List.of(Source.overrides(List.of(
                "listen_port=0", "listen_address=127.0.0.1", "anon_root=/missing"))));
        try (MemoryStorage storage = new MemoryStorage()) {
            StorageException failure = assertThrows(StorageException.class, () -> FtpServer.start(config, storage,
                    dev.ferry.server.auth.UserStore.empty()).close());
            assertTrue(failure.getMessage().contains("/missing"), failure.getMessage());
        }
    }

    @Test
    void anonRootThatIsAFileFails() throws Exception {
        ServerConfig config = ServerConfig.load(List.of(Source.overrides(List.of(
                "listen_port=0", "listen_address=127.0.0.1", "anon_root=/file.txt"))));
        try (MemoryStorage storage = new MemoryStorage()) {
            storage.openWrite(dev.ferry.storage.StoragePath.parse("/file.txt"), dev.ferry.storage.WriteMode.REPLACE)
                    .commit();
            StorageException failure = assertThrows(StorageException.class, () -> FtpServer.start(config, storage,
                    dev.ferry.server.auth.UserStore.empty()).close());
            assertTrue(failure.getMessage().contains("/file.txt"), failure.getMessage());
        }
    }

    @Test
    void anonRootIsNotCheckedWithoutAnonymousLogins() throws Exception {
        try (TestServer server = TestServer.builder().set("anon_root", "/missing").set("anonymous_enable", "NO").start()) {
            FTPClient client = server.connect();
            assertEquals(530, client.sendCommand("USER", "anonymous"));
            client.disconnect();
        }
    }

    /**
     * With no anon_root, anonymous users would get the directory Ferry was started in: then Ferry
     * listens on loopback only, and says why, unless a listen_address is given.
     */
    @Test
    void withoutAnonRootFerryListensOnLoopbackOnly() throws Exception {
        try (CapturedLog log = new CapturedLog(FtpServer.class.getName());
             TestServer server = bare(Map.of())) {
            List<String> lines = log.messages();
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("Ferry listening on /127.0.0.1:")), lines.toString());
            assertTrue(lines.stream().anyMatch(line -> line.contains("anon_root is not set")), lines.toString());
            FTPClient client = server.anonymous();
            assertEquals("/", client.printWorkingDirectory(), client.getReplyString());
            client.disconnect();
        }
        try (CapturedLog log = new CapturedLog(FtpServer.class.getName());
             TestServer server = bare(Map.of("anon_root", "/"))) {
            assertTrue(log.messages().stream().anyMatch(line -> line.startsWith("Ferry listening on /0.0.0.0:")),
                    log.messages().toString());
        }
        try (CapturedLog log = new CapturedLog(FtpServer.class.getName());
             TestServer server = bare(Map.of("anonymous_enable", "NO"))) {
            assertTrue(log.messages().stream().anyMatch(line -> line.startsWith("Ferry listening on /0.0.0.0:")),
                    log.messages().toString());
        }
    }

    /** A server with none of TestServer's defaults but a free port and {@code settings}. */
    private static TestServer bare(Map<String, String> settings) throws Exception {
        TestServer.Builder builder = TestServer.builder().unset("listen_address").unset("anon_root");
        settings.forEach(builder::set);
        return builder.start();
    }

    @Test
    void aTakenPortFailsWithItsAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            IOException failure = assertThrows(IOException.class, () -> TestServer.builder()
                    .set("listen_port", Integer.toString(taken.getLocalPort())).start().close());
            assertTrue(failure.getMessage().contains("cannot listen on"), failure.getMessage());
            assertTrue(failure.getMessage().contains(Integer.toString(taken.getLocalPort())), failure.getMessage());
        }
    }

    @Test
    void parseKeepsTheOrderOfFilesAndOverrides() throws Exception {
        Path first = file("first.conf", "listen_port=1000\nftpd_banner=first\n");
        Path second = file("second.conf", "listen_port=3000\n");
        Main.Command command = Main.parse(new String[] {"-c", first.toString(), "-o", "listen_port=2000",
            "-oftpd_banner=cli", second.toString()});
        Main.Command.Serve serve = assertInstanceOf(Main.Command.Serve.class, command);
        List<Source> sources = serve.sources();
        assertEquals(3, sources.size(), sources.toString());
        assertEquals(new Source.File(first.toString(), List.of("listen_port=1000", "ftpd_banner=first")), sources.get(0));
        assertEquals(new Source.Overrides(List.of("listen_port=2000", "ftpd_banner=cli")), sources.get(1));
        assertEquals(new Source.File(second.toString(), List.of("listen_port=3000")), sources.get(2));
        ServerConfig config = ServerConfig.load(sources);
        assertEquals(3000, config.get(CoreDirectives.LISTEN_PORT), "the last file wins");
        assertEquals("cli", config.get(CoreDirectives.FTPD_BANNER), "-o overrides the file before it");
    }

    @Test
    void overridesBeforeAFileAreOverriddenByIt() throws Exception {
        Path conf = file("ferry.conf", "listen_port=1000\n");
        Main.Command.Serve serve = assertInstanceOf(Main.Command.Serve.class,
                Main.parse(new String[] {"-olisten_port=2000", "-c", conf.toString()}));
        assertEquals(1000, ServerConfig.load(serve.sources()).get(CoreDirectives.LISTEN_PORT));
        Main.Command.Serve none = assertInstanceOf(Main.Command.Serve.class, Main.parse(new String[0]));
        assertEquals(List.of(), none.sources());
    }

    @Test
    void helpAndHashPassword() throws Exception {
        assertInstanceOf(Main.Command.Help.class, Main.parse(new String[] {"--help"}));
        assertInstanceOf(Main.Command.Help.class, Main.parse(new String[] {"-h"}));
        assertInstanceOf(Main.Command.HashPassword.class, Main.parse(new String[] {"--hash-password"}));
    }

    @Test
    void badOptionsAreUsageErrors() {
        Main.UsageException unknown = assertThrows(Main.UsageException.class, () -> Main.parse(new String[] {"-x"}));
        assertTrue(unknown.getMessage().contains("-x"), unknown.getMessage());
        Main.UsageException noFile = assertThrows(Main.UsageException.class, () -> Main.parse(new String[] {"-c"}));
        assertTrue(noFile.getMessage().contains("-c"), noFile.getMessage());
        Main.UsageException noSetting = assertThrows(Main.UsageException.class,
                () -> Main.parse(new String[] {"-olisten_port=1", "-o"}));
        assertTrue(noSetting.getMessage().contains("-o"), noSetting.getMessage());
        assertThrows(Main.UsageException.class, () -> Main.parse(new String[] {"--listen_port=21"}));
    }

    @Test
    void configErrorsNameTheFileAndLine() throws Exception {
        Path conf = file("bad.conf", "# comment\nlisten_port=21\nno_such_directive=YES\n");
        Main.Command.Serve serve = assertInstanceOf(Main.Command.Serve.class,
                Main.parse(new String[] {"-c", conf.toString()}));
        ConfigException failure = assertThrows(ConfigException.class, () -> ServerConfig.load(serve.sources()));
        assertTrue(failure.getMessage().contains(conf + ":3"), failure.getMessage());

        Main.Command.Serve cli = assertInstanceOf(Main.Command.Serve.class,
                Main.parse(new String[] {"-o", "listen_port=many"}));
        ConfigException badValue = assertThrows(ConfigException.class, () -> ServerConfig.load(cli.sources()));
        assertTrue(badValue.getMessage().contains("-o listen_port=many"), badValue.getMessage());

        ConfigException missing = assertThrows(ConfigException.class,
                () -> Main.parse(new String[] {"-c", dir.resolve("nope.conf").toString()}));
        assertTrue(missing.getMessage().contains("nope.conf"), missing.getMessage());
    }
}
