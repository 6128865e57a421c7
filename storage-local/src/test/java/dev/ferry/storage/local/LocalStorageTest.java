package dev.ferry.storage.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.storage.Capability;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageContract;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a temp directory, plus what only local disk has: temp files, recovery, modes. */
class LocalStorageTest extends StorageContract {

    @TempDir
    Path root;

    @Override
    protected Storage createStorage() throws Exception {
        return new LocalStorage(root);
    }

    /** A real symbolic link on disk, as a user with a shell would make it. */
    @Override
    protected boolean makeLink(StoragePath link, String target) throws Exception {
        Files.createSymbolicLink(onDisk(link), Path.of(target));
        return true;
    }

    @Override
    protected String absoluteTarget(StoragePath path) {
        return onDisk(path).toString();
    }

    private Path onDisk(StoragePath path) {
        Path result;
        try {
            result = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String segment : path.segments()) {
            result = result.resolve(segment);
        }
        return result;
    }

    @Test
    void advertisesEverythingButServerSideCopy() {
        Set<Capability> expected = Set.of(Capability.RANDOM_READ, Capability.APPEND, Capability.WRITE_AT_OFFSET,
                Capability.EXCLUSIVE_CREATE, Capability.ATOMIC_REPLACE, Capability.RENAME, Capability.RENAME_DIRECTORY,
                Capability.EMPTY_DIRECTORIES, Capability.SET_MODIFIED, Capability.POSIX_ATTRIBUTES);
        assertEquals(expected, storage.capabilities());
    }

    @Test
    void anUploadInProgressWritesToAHiddenTempSibling() throws Exception {
        Files.createDirectory(root.resolve("d"));
        try (Upload upload = storage.openWrite(path("/d/f"), WriteMode.REPLACE)) {
            writeFully(upload.stream(), ByteBuffer.wrap(text("partial")));
            List<Path> onDisk = filesIn(root.resolve("d"));
            assertEquals(1, onDisk.size());
            String name = onDisk.getFirst().getFileName().toString();
            assertTrue(name.matches("\\.ferry-upload-[0-9a-f]{16}\\.part"), name);
            assertEquals(Set.of(), names(path("/d")));
            upload.commit();
        }
        assertEquals(List.of(root.resolve("d/f")), filesIn(root.resolve("d")));
    }

    @Test
    void abortDeletesTheTempFile() throws Exception {
        try (Upload upload = storage.openWrite(path("/f"), WriteMode.APPEND)) {
            writeFully(upload.stream(), ByteBuffer.wrap(text("partial")));
        }
        assertEquals(List.of(), filesIn(root));
    }

    @Test
    void tempFileNamesCannotBeUsedByClients() throws Exception {
        Path leftover = Files.writeString(root.resolve(".ferry-upload-0123456789abcdef.part"), "secret");
        StoragePath temp = path("/" + leftover.getFileName());
        assertThrows(StorageException.InvalidName.class, () -> storage.stat(temp));
        assertThrows(StorageException.InvalidName.class, () -> storage.openRead(temp, 0));
        assertThrows(StorageException.InvalidName.class, () -> storage.openWrite(temp, WriteMode.REPLACE));
        assertThrows(StorageException.InvalidName.class, () -> storage.delete(temp));
        assertThrows(StorageException.InvalidName.class, () -> storage.rename(temp, path("/x")));
        write("/x", text("x"));
        assertThrows(StorageException.InvalidName.class, () -> storage.rename(path("/x"), temp));
        assertThrows(StorageException.InvalidName.class, () -> storage.createDirectory(path("/.ferry-upload-dir")));
        assertThrows(StorageException.InvalidName.class, () -> storage.list(path("/.ferry-upload-x/sub")));
        assertEquals(Set.of("x"), names(StoragePath.ROOT));
        assertEquals("secret", Files.readString(leftover));
    }

    @Test
    void recoverDeletesLeftoversOfACrashedRun() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        Path top = leftover(root.resolve(".ferry-upload-00000000000000aa.part"));
        Path deep = leftover(root.resolve("a/b/.ferry-upload-00000000000000bb.part"));
        Path kept = Files.writeString(root.resolve("a/.hidden"), "keep");
        write("/a/b/real", text("real"));

        // a restart: a new storage on the same root
        try (Storage restarted = new LocalStorage(root)) {
            restarted.recover(StoragePath.ROOT);
        }
        assertFalse(Files.exists(top));
        assertFalse(Files.exists(deep));
        assertTrue(Files.exists(kept));
        assertArrayEquals(text("real"), read("/a/b/real"));
    }

    @Test
    void recoverOnlyWalksTheDirectoryItIsGiven() throws Exception {
        Files.createDirectories(root.resolve("served"));
        Files.createDirectories(root.resolve("other"));
        Path inside = leftover(root.resolve("served/.ferry-upload-00000000000000aa.part"));
        Path elsewhere = leftover(root.resolve("other/.ferry-upload-00000000000000bb.part"));
        try (Storage restarted = new LocalStorage(root)) {
            restarted.recover(path("/served"));
        }
        assertFalse(Files.exists(inside));
        assertTrue(Files.exists(elsewhere));
    }

    @Test
    void recoverSparesTempFilesWrittenAfterTheStorageOpened() throws Exception {
        // another Ferry process on the same root may be writing this one right now
        Path fresh = Files.writeString(root.resolve(".ferry-upload-00000000000000cc.part"), "in flight elsewhere");
        Files.setLastModifiedTime(fresh, FileTime.from(Instant.now().plusSeconds(5)));
        storage.recover(StoragePath.ROOT);
        assertTrue(Files.exists(fresh));
    }

    @Test
    void replaceKeepsTheModeOfTheFileItReplaces() throws Exception {
        write("/script", text("v1"));
        Files.setPosixFilePermissions(root.resolve("script"), PosixFilePermissions.fromString("rwxr-x---"));
        write("/script", text("v2"));
        assertEquals(0750, storage.stat(path("/script")).permissions().orElseThrow());
        assertArrayEquals(text("v2"), read("/script"));
    }

    @Test
    void statReportsModeAndAUniqueIdFromTheInode() throws Exception {
        write("/a", text("a"));
        write("/b", text("b"));
        Files.setPosixFilePermissions(root.resolve("a"), PosixFilePermissions.fromString("rw-r-----"));
        FileInfo a = storage.stat(path("/a"));
        FileInfo b = storage.stat(path("/b"));
        assertEquals(0640, a.permissions().orElseThrow());
        assertTrue(a.uniqueId().isPresent());
        assertNotEquals(a.uniqueId(), b.uniqueId());
        assertEquals(a.uniqueId(), entries(StoragePath.ROOT).get("a").uniqueId());
        // a rename keeps the inode, so MLST's unique fact follows the file
        storage.rename(path("/a"), path("/c"));
        assertEquals(a.uniqueId(), storage.stat(path("/c")).uniqueId());
    }

    @Test
    void setPermissionsChangesTheModeOnDisk() throws Exception {
        storage.createDirectory(path("/d"));
        storage.setPermissions(path("/d"), 0711);
        assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("d"))));
    }

    @Test
    void setuidSetgidAndStickyBitsAreRefused() throws Exception {
        write("/f", text("x"));
        for (int mode : new int[] {04755, 02755, 01777}) {
            assertThrows(StorageException.AccessDenied.class, () -> storage.setPermissions(path("/f"), mode));
        }
        assertEquals(0, storage.stat(path("/f")).permissions().orElseThrow() & ~0777);
    }

    @Test
    void namesAClientCannotSpellAreLeftOutOfListings() throws Exception {
        assumeTrue(canCreate("line\nbreak"));
        write("/visible", text("v"));
        assertEquals(Set.of("visible"), names(StoragePath.ROOT));
    }

    @Test
    void deleteDirectoryWithOnlyAnUploadInProgressIsNotEmpty() throws Exception {
        storage.createDirectory(path("/d"));
        try (Upload upload = storage.openWrite(path("/d/f"), WriteMode.REPLACE)) {
            writeFully(upload.stream(), ByteBuffer.wrap(text("x")));
            assertThrows(StorageException.DirectoryNotEmpty.class, () -> storage.deleteDirectory(path("/d")));
        }
        storage.deleteDirectory(path("/d"));
    }

    @Test
    void aMissingRootIsRefusedWithItsPath() {
        Path missing = root.resolve("no-such-dir");
        StorageException e = assertThrows(StorageException.Failed.class, () -> new LocalStorage(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void aFileAsRootIsRefused() throws Exception {
        Path file = Files.writeString(root.resolve("file"), "x");
        StorageException e = assertThrows(StorageException.Failed.class, () -> new LocalStorage(file));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }

    @Test
    void aClosedStorageAndItsViewsFailAsStorageErrors() throws Exception {
        write("/f", text("x"));
        Storage closed = new LocalStorage(root);
        Storage view = closed.scoped(StoragePath.ROOT);
        closed.close();
        assertThrows(StorageException.Failed.class, () -> closed.stat(path("/f")));
        assertThrows(StorageException.Failed.class, () -> view.openRead(path("/f"), 0));
    }

    @Test
    void closingAViewClosesNothing() throws Exception {
        write("/f", text("x"));
        storage.scoped(StoragePath.ROOT).close();
        assertArrayEquals(text("x"), read("/f"));
    }

    private boolean canCreate(String name) {
        try {
            Files.writeString(root.resolve(name), "x");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Path leftover(Path file) throws IOException {
        Files.writeString(file, "half an upload");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        return file;
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
