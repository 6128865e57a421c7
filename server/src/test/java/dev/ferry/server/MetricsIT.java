package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * metrics_enable: what a Prometheus scraping /metrics over HTTP reads after real clients logged in,
 * ran commands, moved files and were refused.
 */
@Timeout(90)
class MetricsIT {

    @TempDir
    Path tempDir;

    /** The series of one scrape (TestServer.series), after checking the answer's status and type. */
    private static Map<String, Double> scrape(TestServer server) throws Exception {
        HttpResponse<String> response = server.getMetrics("/metrics");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                response.headers().toString());
        return TestServer.series(response.body());
    }

    /**
     * Scrapes until {@code until} holds: a transfer is accounted for by its own thread just after its
     * final reply, so the client can read the 226 a moment before the counters move.
     */
    private static Map<String, Double> scrapeUntil(TestServer server, Predicate<Map<String, Double>> until)
            throws Exception {
        Map<String, Double> series = Map.of();
        for (int i = 0; i < 100; i++) {
            series = scrape(server);
            if (until.test(series)) {
                return series;
            }
            Thread.sleep(50);
        }
        return series;
    }

    private static double value(Map<String, Double> series, String name) {
        Double value = series.get(name);
        if (value == null) {
            throw new AssertionError("no series " + name + " in " + new java.util.TreeMap<>(series).keySet());
        }
        return value;
    }

    @Test
    void theScrapeCountsLoginsCommandsTransfersAndWaits() throws Exception {
        Path root = Files.createDirectories(tempDir.resolve("root"));
        Path banned = Files.writeString(tempDir.resolve("banned"), "bad@example.com\n");
        byte[] download = Clients.random(100_000, 1);
        Files.write(root.resolve("down.bin"), download);
        try (TestServer server = Clients.writable(tempDir).local(root).set("metrics_enable", "YES")
                .set("metrics_listen_port", "0").set("deny_email_enable", "YES")
                .set("banned_email_file", banned.toString()).set("anon_max_rate", "400000").start()) {
            assertTrue(server.metricsPort() > 0);
            FTPClient badAnonymous = server.connect();
            assertFalse(badAnonymous.login("anonymous", "bad@example.com"));
            badAnonymous.disconnect();
            FTPClient badLocal = server.connect();
            assertFalse(badLocal.login(Clients.USER, "wrong"));
            badLocal.disconnect();

            FTPClient anonymous = server.anonymous();
            assertEquals(200, anonymous.sendCommand("NOOP"));
            assertEquals(200, anonymous.sendCommand("NOOP"));
            assertEquals(500, anonymous.sendCommand("FROB"));
            assertEquals(550, anonymous.sendCommand("SIZE", "missing.bin"));
            // 100,000 bytes at 400,000 B/s: about 0.23 s of pauses after the first chunk
            assertTrue(java.util.Arrays.equals(download, Clients.retrieve(anonymous, "down.bin")));

            FTPClient writer = Clients.writer(server);
            assertTrue(writer.storeFile("up.bin", new ByteArrayInputStream(new byte[42_000])), writer.getReplyString());
            // a passive listener left waiting: the gauge counts it until the session ends
            assertEquals(227, writer.sendCommand("PASV"));

            // the refused clients' sessions end on the server's side a moment after they hung up
            Map<String, Double> series = scrapeUntil(server,
                    s -> s.getOrDefault("ferry_transfers_total{backend=\"local\",direction=\"upload\",outcome=\"complete\"}",
                            0.0) == 1.0 && s.getOrDefault("ferry_sessions_active", -1.0) == 2.0);
            assertEquals(1.0, value(series, "ferry_logins_total{kind=\"anonymous\",outcome=\"ok\"}"));
            assertEquals(1.0, value(series, "ferry_logins_total{kind=\"anonymous\",outcome=\"failed\"}"));
            assertEquals(1.0, value(series, "ferry_logins_total{kind=\"local\",outcome=\"ok\"}"));
            assertEquals(1.0, value(series, "ferry_logins_total{kind=\"local\",outcome=\"failed\"}"));

            assertEquals(2.0, value(series, "ferry_commands_total{reply_class=\"2xx\",verb=\"NOOP\"}"));
            assertEquals(1.0, value(series, "ferry_commands_total{reply_class=\"5xx\",verb=\"unknown\"}"));
            assertEquals(1.0, value(series, "ferry_commands_total{reply_class=\"5xx\",verb=\"SIZE\"}"));
            // a transfer command counts with its final reply, not its 150
            assertEquals(1.0, value(series, "ferry_commands_total{reply_class=\"2xx\",verb=\"RETR\"}"));
            assertEquals(1.0, value(series, "ferry_commands_total{reply_class=\"2xx\",verb=\"STOR\"}"));
            assertFalse(series.containsKey("ferry_commands_total{reply_class=\"1xx\",verb=\"RETR\"}"));
            // 4 clients: 2 refused logins and 2 logged in (PASS 530 twice, 230 twice)
            assertEquals(2.0, value(series, "ferry_commands_total{reply_class=\"5xx\",verb=\"PASS\"}"));
            assertEquals(2.0, value(series, "ferry_commands_total{reply_class=\"2xx\",verb=\"PASS\"}"));

            assertEquals(1.0, value(series,
                    "ferry_transfers_total{backend=\"local\",direction=\"download\",outcome=\"complete\"}"));
            assertEquals(100_000.0, value(series, "ferry_transfer_bytes_total{backend=\"local\",direction=\"download\"}"));
            assertEquals(42_000.0, value(series, "ferry_transfer_bytes_total{backend=\"local\",direction=\"upload\"}"));
            assertEquals(1.0, value(series,
                    "ferry_transfer_duration_seconds_count{backend=\"local\",direction=\"download\"}"));
            assertEquals(1.0, value(series,
                    "ferry_transfer_duration_seconds_bucket{backend=\"local\",direction=\"download\",le=\"+Inf\"}"));
            // the rate-limited download took more than 0.1 s: not in the 10 ms or 100 ms buckets
            assertEquals(0.0, value(series,
                    "ferry_transfer_duration_seconds_bucket{backend=\"local\",direction=\"download\",le=\"0.1\"}"));
            assertTrue(value(series, "ferry_transfer_duration_seconds_sum{backend=\"local\",direction=\"download\"}")
                    > 0.1);

            assertTrue(value(series, "ferry_rate_limit_waits_total{limit=\"session\"}") >= 1);
            double waited = value(series, "ferry_rate_limit_wait_seconds_total{limit=\"session\"}");
            assertTrue(waited > 0.1 && waited < 5, "seconds waited: " + waited);
            assertEquals(1.0, value(series, "ferry_passive_ports_in_use"));

            assertEquals(2.0, value(series, "ferry_sessions_active"));
            assertEquals(4.0, value(series, "ferry_sessions_total"));

            // the storage calls, timed by backend, operation and outcome
            assertEquals(1.0, value(series,
                    "ferry_storage_operation_seconds_count{backend=\"local\",operation=\"open_read\",outcome=\"ok\"}"));
            assertEquals(1.0, value(series,
                    "ferry_storage_operation_seconds_count{backend=\"local\",operation=\"commit\",outcome=\"ok\"}"));
            assertTrue(value(series,
                    "ferry_storage_operation_seconds_count{backend=\"local\",operation=\"stat\",outcome=\"not_found\"}")
                    >= 1);

            // JVM meters
            assertTrue(value(series, "jvm_threads_live_threads") > 0);
            assertTrue(value(series, "process_uptime_seconds") > 0);
            assertTrue(series.keySet().stream().anyMatch(name -> name.startsWith("jvm_memory_used_bytes{")));
            assertTrue(series.containsKey("jvm_classes_loaded_classes"));
            assertTrue(series.containsKey("system_cpu_count"));

            anonymous.disconnect();
            writer.disconnect();
            // the waiting passive listener goes with its session
            series = scrapeUntil(server, s -> s.getOrDefault("ferry_sessions_active", -1.0) == 0.0);
            assertEquals(0.0, value(series, "ferry_sessions_active"));
            assertEquals(0.0, value(series, "ferry_passive_ports_in_use"));
        }
    }

    @Test
    void refusedConnectionsAreCountedByReason() throws Exception {
        try (TestServer server = TestServer.builder().set("metrics_enable", "YES").set("metrics_listen_port", "0")
                .set("max_per_ip", "1").start();
             RawClient first = RawClient.connect(server.port())) {
            // the second connects once the first holds its place: sessions are admitted in their own threads
            try (RawClient second = new RawClient(server.port())) {
                assertEquals(421, second.reply().code());
            }
            Map<String, Double> series = scrape(server);
            assertEquals(1.0, value(series, "ferry_sessions_refused_total{reason=\"max_per_ip\"}"));
            assertEquals(1.0, value(series, "ferry_sessions_total"));
            assertEquals(1.0, value(series, "ferry_sessions_active"));
        }
    }

    @Test
    void onlyGetMetricsIsServed() throws Exception {
        try (TestServer server = TestServer.builder().set("metrics_enable", "YES").set("metrics_listen_port", "0")
                .start()) {
            int port = server.metricsPort();
            assertEquals(404, server.getMetrics("/").statusCode());
            assertEquals(404, server.getMetrics("/metrics/x").statusCode());
            HttpResponse<String> post = TestServer.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/metrics")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void withMetricsOffNothingListens() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (TestServer server = TestServer.builder().set("metrics_listen_port", Integer.toString(port)).start()) {
            assertEquals(-1, server.metricsPort());
            server.anonymous().disconnect();
            try (Socket socket = new Socket()) {
                assertThrows(ConnectException.class,
                        () -> socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000));
            }
        }
    }

    @Test
    void aTakenMetricsPortStopsTheStartNamingTheDirective() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            IOException e = assertThrows(IOException.class, () -> TestServer.builder().set("metrics_enable", "YES")
                    .set("metrics_listen_port", Integer.toString(taken.getLocalPort())).start());
            assertTrue(e.getMessage().contains("metrics_listen_port=" + taken.getLocalPort()), e.getMessage());
        }
    }

    @Test
    void storageCallsAndTransfersOnS3AreLabelledS3AndGlobalWaitsCount() throws Exception {
        byte[] object = Clients.random(70_000, 2);
        // the server-wide limit: about 0.12 s of pauses for this object, reported as limit="global"
        try (TestServer server = Backends.S3.builder(tempDir).set("metrics_enable", "YES")
                .set("metrics_listen_port", "0").set("global_max_download_rate", "500000").start()) {
            server.put("/pub/object.bin", object);
            FTPClient client = server.anonymous();
            assertTrue(java.util.Arrays.equals(object, Clients.retrieve(client, "/pub/object.bin")));
            assertEquals(550, client.sendCommand("SIZE", "/pub/none.bin"));
            Map<String, Double> series = scrapeUntil(server, s -> s.containsKey(
                    "ferry_transfer_bytes_total{backend=\"s3\",direction=\"download\"}"));
            assertEquals(70_000.0, value(series, "ferry_transfer_bytes_total{backend=\"s3\",direction=\"download\"}"));
            assertEquals(1.0, value(series,
                    "ferry_storage_operation_seconds_count{backend=\"s3\",operation=\"open_read\",outcome=\"ok\"}"));
            assertTrue(value(series,
                    "ferry_storage_operation_seconds_count{backend=\"s3\",operation=\"stat\",outcome=\"not_found\"}") >= 1);
            assertTrue(value(series,
                    "ferry_storage_operation_seconds_sum{backend=\"s3\",operation=\"open_read\",outcome=\"ok\"}") > 0);
            assertTrue(value(series, "ferry_rate_limit_waits_total{limit=\"global\"}") >= 1);
            assertEquals(0.0, value(series, "ferry_rate_limit_waits_total{limit=\"session\"}"));
            client.disconnect();
        }
    }
}
