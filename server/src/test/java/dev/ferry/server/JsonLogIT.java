package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.ferry.server.log.ActivityLog;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.KeyValuePair;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * json_log_enable with real clients: the file json_log_file names, read back line by line, each
 * line parsed as JSON (with the Jackson the tests' S3Proxy brings).
 */
@Timeout(60)
class JsonLogIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tempDir;

    /** One line of the log: logback's envelope and the record's fields from kvpList. */
    private record Line(JsonNode envelope, Map<String, String> fields) {
        String field(String name) {
            String value = fields.get(name);
            if (value == null) {
                throw new AssertionError("no field " + name + " in " + fields);
            }
            return value;
        }
    }

    private static List<Line> parse(List<String> lines) {
        List<Line> parsed = new ArrayList<>();
        for (String text : lines) {
            JsonNode node = JSON.readTree(text); // fails the test on a line that is not one JSON object
            assertTrue(node.isObject(), text);
            Map<String, String> fields = new LinkedHashMap<>();
            for (JsonNode pair : node.get("kvpList").values()) {
                pair.properties().forEach(entry -> fields.put(entry.getKey(), entry.getValue().asString()));
            }
            parsed.add(new Line(node, fields));
        }
        return parsed;
    }

    /** The lines of {@code file} once they satisfy {@code until}: a transfer's line comes from its thread. */
    private static List<Line> await(Path file, Predicate<List<Line>> until) throws Exception {
        List<Line> lines = List.of();
        for (int i = 0; i < 200; i++) {
            lines = parse(Files.exists(file) ? Files.readAllLines(file) : List.of());
            if (until.test(lines)) {
                return lines;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no matching line in " + file + ": " + lines);
    }

    private static boolean has(List<Line> lines, String command) {
        return lines.stream().anyMatch(line -> line.fields().get("command").equals(command));
    }

    private static Line only(List<Line> lines, String command) {
        List<Line> matching = lines.stream().filter(line -> line.fields().get("command").equals(command)).toList();
        assertEquals(1, matching.size(), command + " in " + lines);
        return matching.getFirst();
    }

    @Test
    void everyCommandIsOneJsonObjectWithItsFinalReply() throws Exception {
        Path log = tempDir.resolve("ferry.json");
        byte[] file = Clients.random(12_345, 4);
        try (TestServer server = Clients.writable(tempDir).set("json_log_enable", "YES")
                .set("json_log_file", log.toString()).start()) {
            server.put("/f.bin", file);
            FTPClient client = Clients.writer(server);
            Clients.retrieve(client, "f.bin");
            assertEquals(550, client.sendCommand("SIZE", "missing.bin"));
            assertEquals(200, client.sendCommand("NOOP"));
            List<Line> lines = await(log, all -> has(all, "NOOP") && has(all, "RETR f.bin"));
            client.disconnect();

            Line user = only(lines, "USER writer");
            assertEquals("331", user.field("reply_code"));
            assertEquals("Please specify the password.", user.field("reply_text"));
            assertEquals("writer", user.field("user"));
            assertEquals("127.0.0.1", user.field("client"));
            assertFalse(user.fields().containsKey("bytes"), "no transfer, no bytes");

            Line pass = only(lines, "PASS <password>");
            assertEquals("230", pass.field("reply_code"));
            assertFalse(Files.readString(log).contains(Clients.PASSWORD), "the password is never written");

            Line retr = only(lines, "RETR f.bin");
            assertEquals("226", retr.field("reply_code"), "the final reply, not the 150");
            assertEquals("12345", retr.field("bytes"));
            assertTrue(Long.parseLong(retr.field("duration_ms")) >= 0);
            assertEquals(user.field("session"), retr.field("session"));

            Line failed = only(lines, "SIZE missing.bin");
            assertEquals("550", failed.field("reply_code"));
            assertFalse(failed.fields().containsKey("bytes"));

            for (Line line : lines) {
                assertEquals("INFO", line.envelope().get("level").asString());
                assertEquals(ActivityLog.JSON_LOGGER, line.envelope().get("loggerName").asString());
                assertTrue(line.envelope().get("timestamp").asLong() > 0);
                assertEquals(line.field("command"), line.envelope().get("message").asString());
            }
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
            }
        }
    }

    @Test
    void withoutAFileTheRecordsGoToTheLoggerAsKeyValuePairs() throws Exception {
        try (CapturedLog json = new CapturedLog(ActivityLog.JSON_LOGGER);
             TestServer server = TestServer.builder().set("json_log_enable", "YES").start()) {
            FTPClient client = server.anonymous();
            assertEquals(500, client.sendCommand("FROB"));
            client.disconnect();
            List<KeyValuePair> pairs = null;
            for (int i = 0; i < 200 && pairs == null; i++) {
                pairs = json.events().stream().filter(event -> event.getMessage().equals("FROB")).findFirst()
                        .map(ILoggingEvent::getKeyValuePairs).orElse(null);
                Thread.sleep(pairs == null ? 25 : 0);
            }
            assertTrue(pairs != null, json.events().toString());
            Map<String, Object> fields = new LinkedHashMap<>();
            pairs.forEach(pair -> fields.put(pair.key, pair.value));
            assertEquals(500, fields.get("reply_code"));
            assertEquals("ftp", fields.get("user"));
            assertEquals("FROB", fields.get("command"));
        }
    }

    @Test
    void anUnusableFileStopsTheStartNamingTheDirective() {
        Path log = tempDir.resolve("no such directory").resolve("ferry.json");
        IOException e = assertThrows(IOException.class, () -> TestServer.builder().set("json_log_enable", "YES")
                .set("json_log_file", log.toString()).start());
        assertTrue(e.getMessage().contains("json_log_file=" + log), e.getMessage());
    }
}
