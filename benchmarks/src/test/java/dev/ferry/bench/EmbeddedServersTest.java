package dev.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The servers the benchmarks start in-process really serve: each one stores a file and hands the
 * same bytes back. The benchmarks run Ferry without a logging backend (slf4j-nop), so this also
 * catches server code that needs one to start.
 */
class EmbeddedServersTest {

    @TempDir
    Path root;

    @ParameterizedTest
    @ValueSource(strings = {"ferry-local", "ferry-memory", "ferry-memory-metrics-json", "ftpserver"})
    void storesAndReturnsTheSameBytes(String server) throws Exception {
        Files.write(root.resolve("seed.bin"), Fixtures.bytes(4096, 7));
        byte[] pattern = Fixtures.bytes(1000, 11);
        long size = 3 * 64 * 1024 + 123;
        try (EmbeddedServer started = start(server)) {
            BenchClient client = BenchClient.login("127.0.0.1", started.port(), "anonymous", "bench@example.com");
            try {
                client.store("up.bin", pattern, size);
                CRC32 got = new CRC32();
                assertEquals(size, client.retrieve("up.bin", got));
                CRC32 expected = new CRC32();
                for (long left = size; left > 0; left -= pattern.length) {
                    expected.update(pattern, 0, (int) Math.min(pattern.length, left));
                }
                assertEquals(expected.getValue(), got.getValue(), server + ": the bytes read back");
                CRC32 seed = new CRC32();
                assertEquals(4096, client.retrieve("seed.bin", seed));
                assertEquals(Fixtures.crc(Fixtures.bytes(4096, 7)), seed.getValue(), server + ": the seeded file");
            } finally {
                client.quietly();
            }
        }
    }

    private EmbeddedServer start(String server) throws Exception {
        return switch (server) {
            case "ferry-local" -> FerryLauncher.local(root);
            case "ferry-memory" -> FerryLauncher.memory(root);
            // metrics and the JSON command log on: their code paths start without a logging backend too
            case "ferry-memory-metrics-json" -> FerryLauncher.memory(root,
                    List.of("metrics_enable=YES", "metrics_listen_port=0", "json_log_enable=YES"));
            case "ftpserver" -> ApacheLauncher.start(root);
            default -> throw new IllegalArgumentException(server);
        };
    }

    /** json_log_file needs logback to write its file; without it the start says so instead of crashing. */
    @Test
    void aJsonLogFileWithoutLogbackStopsTheStartWithAReason() {
        Exception e = assertThrows(IOException.class, () -> FerryLauncher.memory(root,
                List.of("json_log_enable=YES", "json_log_file=" + root.resolve("ferry.json"))).close());
        assertTrue(e.getMessage().contains("json_log_file=") && e.getMessage().contains("needs logback"),
                e.getMessage());
    }
}
