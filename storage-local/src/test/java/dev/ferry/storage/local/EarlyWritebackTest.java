package dev.ferry.storage.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With local_upload_fsync, uploads bigger than {@link LocalUpload#WRITEBACK_EVERY} force what they
 * have written so far from another thread while they go on writing. That must change nothing a
 * user sees: the committed file is byte-exact, and an upload aborted while a writeback runs leaves
 * the old file and no temp file.
 */
@Timeout(120)
class EarlyWritebackTest {

    private static final int SIZE = (int) (2 * LocalUpload.WRITEBACK_EVERY + 12_345);

    @TempDir
    Path root;

    @Test
    void aBigUploadCommitsByteExactWhileEarlierPartsAreForced() throws Exception {
        byte[] content = random(SIZE, 1);
        try (LocalStorage storage = new LocalStorage(root, true);
             Upload upload = storage.openWrite(StoragePath.parse("/big.bin"), WriteMode.REPLACE)) {
            write(upload, content);
            assertEquals(SIZE, upload.commit());
        }
        assertArrayEquals(sha256(content), sha256(Files.readAllBytes(root.resolve("big.bin"))));
        assertEquals(List.of("big.bin"), names());
    }

    @Test
    void anUploadAbortedWhileAWritebackRunsLeavesTheOldFileAndNoTempFile() throws Exception {
        byte[] old = random(1000, 2);
        Files.write(root.resolve("big.bin"), old);
        for (int round = 0; round < 5; round++) {
            try (LocalStorage storage = new LocalStorage(root, true)) {
                Upload upload = storage.openWrite(StoragePath.parse("/big.bin"), WriteMode.REPLACE);
                // just past the threshold, so the abort meets a writeback that has just begun
                write(upload, random((int) LocalUpload.WRITEBACK_EVERY + round * 4096, round));
                upload.abort();
                upload.close();
            }
            assertArrayEquals(old, Files.readAllBytes(root.resolve("big.bin")));
            assertEquals(List.of("big.bin"), names());
        }
    }

    private static void write(Upload upload, byte[] content) throws Exception {
        for (int offset = 0; offset < content.length; offset += 1 << 20) {
            ByteBuffer piece = ByteBuffer.wrap(content, offset, Math.min(1 << 20, content.length - offset));
            while (piece.hasRemaining()) {
                upload.stream().write(piece);
            }
        }
    }

    private List<String> names() throws Exception {
        try (Stream<Path> files = Files.list(root)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
