package dev.ferry.storage.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageContract;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on {@code file://} over a temp directory, plus what can be checked on the disk below. */
class LocalFileStorageTest extends StorageContract {

    @TempDir
    Path root;

    @Override
    protected Storage createStorage() throws Exception {
        return new VfsStorage(VfsConfig.of(root.toUri().toString()));
    }

    @Test
    void anUploadInProgressWritesToAHiddenTempSibling() throws Exception {
        try (Upload upload = storage.openWrite(path("/f"), WriteMode.REPLACE)) {
            writeFully(upload.stream(), ByteBuffer.wrap(text("partial")));
            upload.stream().write(ByteBuffer.allocate(0));
            List<Path> files = filesIn(root);
            assertEquals(1, files.size());
            assertTrue(files.getFirst().getFileName().toString().matches("\\.ferry-upload-[0-9a-f]{16}\\.part"),
                    files.toString());
            assertEquals(Set.of(), names(StoragePath.ROOT));
            upload.commit();
        }
        assertEquals(List.of(root.resolve("f")), filesIn(root));
    }

    @Test
    void tempNamesAreReserved() throws Exception {
        Path leftover = Files.writeString(root.resolve(".ferry-upload-0123456789abcdef.part"), "x");
        StoragePath temp = path("/" + leftover.getFileName());
        assertThrows(StorageException.InvalidName.class, () -> storage.stat(temp));
        assertThrows(StorageException.InvalidName.class, () -> storage.openRead(temp, 0));
        assertThrows(StorageException.InvalidName.class, () -> storage.openWrite(temp, WriteMode.REPLACE));
        assertThrows(StorageException.InvalidName.class, () -> storage.delete(temp));
        assertThrows(StorageException.InvalidName.class, () -> storage.rename(temp, path("/x")));
        assertThrows(StorageException.InvalidName.class, () -> storage.createDirectory(path("/.ferry-upload-d")));
        assertEquals(Set.of(), names(StoragePath.ROOT));
    }

    @Test
    void aBackslashIsRefusedRatherThanReadAsASeparator() throws Exception {
        storage.createDirectory(path("/a"));
        assertThrows(StorageException.InvalidName.class, () -> write("/a\\b", text("x")));
        assertEquals(Set.of(), names(path("/a")));
        assertEquals(Set.of("a"), names(StoragePath.ROOT));
    }

    @Test
    void recoverDeletesLeftoversOfACrashedRun() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        Path top = leftover(root.resolve(".ferry-upload-00000000000000aa.part"));
        Path deep = leftover(root.resolve("a/b/.ferry-upload-00000000000000bb.part"));
        Path hidden = Files.writeString(root.resolve("a/.hidden"), "keep");
        storage.recover(StoragePath.ROOT);
        assertTrue(Files.notExists(top));
        assertTrue(Files.notExists(deep));
        assertTrue(Files.exists(hidden));
    }

    @Test
    void changesMadeOutsideFerryShowAfterTheCacheTtl() throws Exception {
        try (Storage uncached = new VfsStorage(new VfsConfig(root.toUri().toString(), "", java.util.Optional.empty(),
                "", true, java.util.Optional.empty(), false, false, Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofMillis(200), 100))) {
            write("/f", text("one"));
            assertEquals(3, uncached.stat(path("/f")).size());
            Files.writeString(root.resolve("f"), "longer now");
            Thread.sleep(400);
            assertEquals(10, uncached.stat(path("/f")).size());
        }
    }

    private static Path leftover(Path file) throws Exception {
        Files.writeString(file, "half an upload");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        return file;
    }

    private static List<Path> filesIn(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
