package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.server.auth.PasswordHash;
import dev.ferry.server.auth.UserStore;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Scale-out as README's "Behind a load balancer" describes it: two Ferry nodes on one S3 bucket
 * (an in-process S3Proxy) behind a real HAProxy that forwards the control port and each node's own
 * passive port range with PROXY protocol v2. HAProxy listens on 127.0.0.10 (the address both nodes
 * announce in PASV), the nodes on 127.0.0.2 and 127.0.0.3; clients come from 127.0.0.5 and up.
 * Skipped when haproxy is not installed.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HaproxyScaleOutIT {

    private static final String BALANCER = "127.0.0.10";
    private static final String BUCKET = "scale-out";
    private static final int RANGE = 20;
    private static final int MAX_PER_IP = 2;
    // Surefire runs in the server module's directory; README.md is at the project's top.
    private static final Path README = Path.of("..", "README.md");
    private static final String README_INTRO = "The HAProxy configuration (HaproxyScaleOutIT runs this one";

    @TempDir
    static Path dir;

    private S3ProxyExtension s3;
    private final Map<String, TestServer> nodes = new LinkedHashMap<>();
    private Process haproxy;
    private Path haproxyLog;
    private int controlPort;

    private static Optional<Path> haproxyBinary() {
        return Stream.concat(Stream.of(Path.of("/usr/sbin/haproxy"), Path.of("/usr/local/sbin/haproxy")),
                        Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).filter(p -> !p.isEmpty())
                                .map(p -> Path.of(p, "haproxy")))
                .filter(Files::isExecutable).findFirst();
    }

    @BeforeAll
    void start() throws Exception {
        Optional<Path> binary = haproxyBinary();
        assumeTrue(binary.isPresent(), "haproxy is not installed");
        s3 = S3ProxyExtension.builder().withBlobStoreProvider("transient").withCredentials("access", "secret").build();
        s3.beforeEach(null);
        try (S3Client raw = S3Client.builder().endpointOverride(s3.getUri()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret")))
                .build()) {
            raw.createBucket(b -> b.bucket(BUCKET));
        }
        Path users = Files.writeString(dir.resolve("users"),
                Clients.USER + ":" + PasswordHash.sha512Crypt(Clients.PASSWORD) + "\n");
        // each node owns its own passive range; both announce the balancer's address
        int ranges = Clients.freeRange(2 * RANGE);
        nodes.put("a", node("a", "127.0.0.2", ranges, users));
        nodes.put("b", node("b", "127.0.0.3", ranges + RANGE, users));
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(BALANCER))) {
            controlPort = probe.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("haproxy.cfg"), haproxyConfig(ranges));
        haproxyLog = dir.resolve("haproxy.log");
        haproxy = new ProcessBuilder(binary.get().toString(), "-f", config.toString(), "-db")
                .redirectErrorStream(true).redirectOutput(haproxyLog.toFile()).start();
        awaitBalancer();
    }

    private TestServer node(String name, String address, int pasvMin, Path users) throws Exception {
        return TestServer.builder().metrics().set("listen_address", address).set("ftpd_banner", "node " + name)
                .set("storage", "s3").set("s3_bucket", BUCKET).set("s3_endpoint", s3.getUri().toString())
                .set("s3_path_style", "YES").set("s3_access_key_id", "access").set("s3_secret_access_key", "secret")
                .set("local_enable", "YES").set("write_enable", "YES").users(UserStore.load(users))
                .set("proxy_protocol", "YES").set("pasv_proxy_protocol", "YES")
                .set("proxy_protocol_trusted", "127.0.0.1")
                .set("pasv_address", BALANCER)
                .set("pasv_min_port", Integer.toString(pasvMin))
                .set("pasv_max_port", Integer.toString(pasvMin + RANGE - 1))
                .set("max_per_ip", Integer.toString(MAX_PER_IP))
                .start();
    }

    /**
     * README's HAProxy configuration, read from README.md so that the documented one is the tested
     * one, with its example addresses and ports replaced by this test's loopback ones.
     */
    private String haproxyConfig(int ranges) throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int intro = readme.indexOf(README_INTRO);
        assertTrue(intro >= 0, "README.md has no line starting with '" + README_INTRO + "'");
        int from = readme.indexOf("```\n", intro) + 4;
        String config = readme.substring(from, readme.indexOf("```", from));
        // the most specific first: "203.0.113.10:21" before the bare address
        Map<String, String> replacements = new LinkedHashMap<>();
        replacements.put("203.0.113.10:21\n", BALANCER + ":" + controlPort + "\n");
        replacements.put("10.0.0.2:2121 ", "127.0.0.2:" + nodes.get("a").port() + " ");
        replacements.put("10.0.0.3:2121 ", "127.0.0.3:" + nodes.get("b").port() + " ");
        replacements.put("203.0.113.10:50000-50099", BALANCER + ":" + ranges + "-" + (ranges + RANGE - 1));
        replacements.put("203.0.113.10:50100-50199", BALANCER + ":" + (ranges + RANGE) + "-" + (ranges + 2 * RANGE - 1));
        replacements.put("10.0.0.2 ", "127.0.0.2 ");
        replacements.put("10.0.0.3 ", "127.0.0.3 ");
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            assertTrue(config.contains(replacement.getKey()), "README's HAProxy configuration has no '"
                    + replacement.getKey().strip() + "' any more: update this test with it\n" + config);
            config = config.replace(replacement.getKey(), replacement.getValue());
        }
        return config;
    }

    /** Until the balancer answers with a node's greeting: bounded by 15 s. */
    private void awaitBalancer() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!haproxy.isAlive()) {
                throw new AssertionError("haproxy exited with " + haproxy.exitValue() + ": " + Files.readString(haproxyLog));
            }
            try {
                if (greeting("127.0.0.1").startsWith("220 ")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("haproxy did not forward within 15 s: " + Files.readString(haproxyLog));
    }

    /** The first line a client from {@code from} reads through the balancer. */
    private String greeting(String from) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(BALANCER, controlPort), 5_000);
            socket.setSoTimeout(5_000);
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return line == null ? "" : line;
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (haproxy != null) {
            haproxy.destroy();
            if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
                haproxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        nodes.values().forEach(TestServer::close);
        if (s3 != null) {
            s3.afterEach(null);
        }
    }

    /** A client from {@code from}, through the balancer, logged in, passive, binary. */
    private static FTPClient login(String from, int port) throws IOException {
        FTPClient client = new FTPClient();
        client.setConnectTimeout(10_000);
        client.setDefaultTimeout(20_000);
        InetAddress local = InetAddress.getByName(from);
        client.connect(InetAddress.getByName(BALANCER), port, local, 0);
        client.setSoTimeout(20_000);
        assertTrue(client.login(Clients.USER, Clients.PASSWORD), client.getReplyString());
        client.enterLocalPassiveMode();
        // data connections from the same address as the control connection, as a real client's are
        client.setPassiveLocalIPAddress(local);
        assertTrue(client.setFileType(FTP.BINARY_FILE_TYPE), client.getReplyString());
        return client;
    }

    /** Which node's banner a client from {@code from} gets ("a" or "b"), for addresses 127.0.0.5 and up. */
    private Map<String, String> nodesByClient(int count) throws Exception {
        // a previous test's sessions from these addresses may still be closing: they count under max_per_ip
        awaitIdleNodes();
        Map<String, String> byClient = new LinkedHashMap<>();
        for (int i = 5; i < 5 + count; i++) {
            String from = "127.0.0." + i;
            String banner = greeting(from);
            assertTrue(banner.matches("220 node [ab]"), from + " got: " + banner);
            byClient.put(from, banner.substring("220 node ".length()));
        }
        return byClient;
    }

    /** Waits until the probes' sessions have ended, so they no longer count under max_per_ip. */
    private void awaitIdleNodes() throws Exception {
        for (int i = 0; i < 500 && (nodes.get("a").activeSessions() > 0 || nodes.get("b").activeSessions() > 0); i++) {
            Thread.sleep(20);
        }
    }

    private static String firstOn(Map<String, String> byClient, String node, String except) {
        return byClient.entrySet().stream().filter(e -> e.getValue().equals(node) && !e.getKey().equals(except))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no client address lands on node " + node + ": " + byClient));
    }

    @Test
    void uploadThroughOneNodeDownloadThroughTheOther() throws Exception {
        Map<String, String> byClient = nodesByClient(30);
        String uploader = firstOn(byClient, "a", "");
        String downloader = firstOn(byClient, "b", "");
        byte[] content = Clients.random(3 * 1024 * 1024 + 17, 10);

        FTPClient up = login(uploader, controlPort);
        assertTrue(up.storeFile("shared.bin", new ByteArrayInputStream(content)), up.getReplyString());
        String status = up.getStatus();
        assertNotNull(status, up.getReplyString());
        assertTrue(status.contains("Connected to " + uploader), "node a sees the real client: " + status);
        up.logout();
        up.disconnect();

        FTPClient down = login(downloader, controlPort);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        assertTrue(down.retrieveFile("shared.bin", got), down.getReplyString());
        assertEquals(Clients.sha256(content), Clients.sha256(got.toByteArray()), "the bytes node b serves");
        assertArrayEquals(content, got.toByteArray());
        assertTrue(down.getStatus().contains("Connected to " + downloader), down.getReplyString());
        down.logout();
        down.disconnect();
    }

    @Test
    void maxPerIpCountsTheRealClientBehindTheBalancer() throws Exception {
        Map<String, String> byClient = nodesByClient(30);
        String limited = "127.0.0.5";
        // another client on the same node: through the balancer both look like 127.0.0.1 without PROXY protocol
        String other = firstOn(byClient, byClient.get(limited), limited);
        awaitIdleNodes();
        List<FTPClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_PER_IP; i++) {
                open.add(login(limited, controlPort));
            }
            assertEquals("421 There are too many connections from your internet address.", greeting(limited));
            FTPClient next = login(other, controlPort);
            open.add(next);
            assertTrue(next.sendNoOp(), next.getReplyString());
        } finally {
            for (FTPClient client : open) {
                client.disconnect();
            }
        }
    }
}
