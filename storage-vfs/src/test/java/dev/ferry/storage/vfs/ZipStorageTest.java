package dev.ferry.storage.vfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.WriteMode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-only subset of the contract on a zip archive. StorageContract builds its fixtures by
 * uploading through the storage, which a read-only provider refuses, so the same read checks run
 * here on an archive built beforehand; every write must be refused and leave the archive unchanged.
 */
class ZipStorageTest {

    private static final byte[] BIG = random(200_000);

    @TempDir
    Path dir;
    Path archive;
    Storage storage;

    @BeforeEach
    void open() throws Exception {
        archive = dir.resolve("archive.zip");
        try (OutputStream file = Files.newOutputStream(archive); ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.putNextEntry(new ZipEntry("docs/"));
            zip.closeEntry();
            put(zip, "docs/readme.txt", text("read me"));
            put(zip, "big.bin", BIG);
            put(zip, "empty", new byte[0]);
            // a folder that exists only as the prefix of its entry
            put(zip, "implicit/deep/é ü.txt", text("unicode"));
        }
        storage = new VfsStorage(VfsConfigBuilder.config("zip:" + archive.toUri() + "!/"));
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void offersNothingBeyondReading() {
        assertEquals(Set.of(), storage.capabilities());
    }

    @Test
    void rootAndFoldersAreDirectoriesWithSaneTimes() throws Exception {
        for (String path : new String[] {"/", "/docs", "/implicit", "/implicit/deep"}) {
            FileInfo info = storage.stat(StoragePath.parse(path));
            assertTrue(info.isDirectory(), path);
            assertSane(info.modified());
        }
    }

    @Test
    void statReportsSizesOfFiles() throws Exception {
        assertEquals(BIG.length, storage.stat(StoragePath.parse("/big.bin")).size());
        assertEquals(0, storage.stat(StoragePath.parse("/empty")).size());
        assertTrue(storage.stat(StoragePath.parse("/docs/readme.txt")).isFile());
        assertThrows(StorageException.NotFound.class, () -> storage.stat(StoragePath.parse("/missing")));
        StorageException below = assertThrows(StorageException.class, () -> storage.stat(StoragePath.parse("/big.bin/x")));
        assertTrue(below instanceof StorageException.NotFound || below instanceof StorageException.NotADirectory);
    }

    @Test
    void listingShowsEntriesAndImplicitFolders() throws Exception {
        Map<String, FileInfo> root = entries("/");
        assertEquals(Set.of("docs", "big.bin", "empty", "implicit"), root.keySet());
        assertTrue(root.get("implicit").isDirectory());
        assertEquals(BIG.length, root.get("big.bin").size());
        assertEquals(Set.of("é ü.txt"), entries("/implicit/deep").keySet());
        assertThrows(StorageException.NotADirectory.class, () -> storage.list(StoragePath.parse("/big.bin")).close());
        assertThrows(StorageException.NotFound.class, () -> storage.list(StoragePath.parse("/nope")).close());
    }

    @Test
    void readsWholeFilesAndFromAnOffsetBySkipping() throws Exception {
        assertArrayEquals(BIG, read("/big.bin", 0));
        assertArrayEquals(Arrays.copyOfRange(BIG, 65_537, BIG.length), read("/big.bin", 65_537));
        assertArrayEquals(new byte[0], read("/big.bin", BIG.length));
        assertArrayEquals(new byte[0], read("/big.bin", BIG.length + 10));
        assertArrayEquals(text("unicode"), read("/implicit/deep/é ü.txt", 0));
        assertArrayEquals(new byte[0], read("/empty", 0));
        assertThrows(StorageException.NotFound.class, () -> storage.openRead(StoragePath.parse("/missing"), 0));
        assertThrows(StorageException.IsADirectory.class, () -> storage.openRead(StoragePath.parse("/docs"), 0));
    }

    @Test
    void everyWriteIsRefusedAndTheArchiveStaysAsItWas() throws Exception {
        byte[] before = Files.readAllBytes(archive);
        StoragePath file = StoragePath.parse("/big.bin");
        assertThrows(StorageException.AccessDenied.class, () -> storage.openWrite(StoragePath.parse("/new"), WriteMode.REPLACE));
        assertThrows(StorageException.AccessDenied.class, () -> storage.openWrite(file, WriteMode.APPEND));
        assertThrows(StorageException.AccessDenied.class, () -> storage.createDirectory(StoragePath.parse("/d")));
        assertThrows(StorageException.AccessDenied.class, () -> storage.delete(file));
        assertThrows(StorageException.AccessDenied.class, () -> storage.deleteDirectory(StoragePath.parse("/docs")));
        assertThrows(StorageException.Unsupported.class, () -> storage.rename(file, StoragePath.parse("/moved")));
        assertThrows(StorageException.Unsupported.class, () -> storage.setModified(file, Instant.now()));
        storage.recover(StoragePath.ROOT);
        assertArrayEquals(before, Files.readAllBytes(archive));
        assertEquals(BIG.length, storage.stat(file).size());
    }

    @Test
    void aMissingArchiveIsRefusedWithItsName() {
        StorageException e = assertThrows(StorageException.Failed.class,
                () -> new VfsStorage(VfsConfigBuilder.config("zip:" + dir.resolve("none.zip").toUri() + "!/")));
        assertTrue(e.getMessage().contains("none.zip"), e.getMessage());
    }

    private Map<String, FileInfo> entries(String dir) throws Exception {
        Map<String, FileInfo> result = new HashMap<>();
        try (Listing listing = storage.list(StoragePath.parse(dir))) {
            for (FileInfo info : listing) {
                result.put(info.name(), info);
                assertEquals(StoragePath.parse(dir), info.path().parent());
                assertSane(info.modified());
            }
        }
        return result;
    }

    private byte[] read(String path, long offset) throws Exception {
        try (ReadableByteChannel in = storage.openRead(StoragePath.parse(path), offset)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (in.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toByteArray();
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws Exception {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] random(int length) {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        return data;
    }

    private static void assertSane(Instant time) {
        assertTrue(time.isAfter(Instant.parse("1990-01-01T00:00:00Z")), "not a sane time: " + time);
        assertTrue(time.isBefore(Instant.now().plus(Duration.ofDays(1))), "in the future: " + time);
    }
}
