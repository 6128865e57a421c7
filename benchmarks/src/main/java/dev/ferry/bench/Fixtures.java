package dev.ferry.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/** Files with reproducible pseudo-random content (incompressible, so no layer can shortcut them). */
public final class Fixtures {

    private Fixtures() {
    }

    /** Writes {@code size} bytes from {@code seed} to {@code file}; returns their CRC-32. */
    public static long writeRandom(Path file, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[64 * 1024];
        CRC32 crc = new CRC32();
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            long left = size;
            while (left > 0) {
                random.nextBytes(chunk);
                int n = (int) Math.min(left, chunk.length);
                out.write(chunk, 0, n);
                crc.update(chunk, 0, n);
                left -= n;
            }
        }
        return crc.getValue();
    }

    /** {@code size} bytes from {@code seed}, in memory: for small files and upload payloads. */
    public static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** The CRC-32 of {@code bytes}. */
    public static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    /** Deletes {@code dir} and everything below it; a benchmark leaves no files behind. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
