package dev.ferry.storage.vfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
        return new VfsStorage(VfsConfigBuilder.config(root.toUri().toString()));
    }

    @Override
    protected boolean makeLink(StoragePath link, String target) throws Exception {
        Files.createSymbolicLink(onDisk(root, link), Path.of(target));
        return true;
    }

    @Override
    protected String absoluteTarget(StoragePath path) {
        try {
            return onDisk(root.toRealPath(), path).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Path onDisk(Path base, StoragePath path) {
        Path file = base;
        for (String name : path.segments()) {
            file = file.resolve(name);
        }
        return file;
    }

    /**
     * The escape this jail closes: links planted in vfs_root (by anyone with a shell there) to a
     * directory and a file outside it, absolute and relative. No upload, mkdir, rename, append or
     * delete through them touches anything outside, in the storage or in a view.
     */
    @Test
    void anUploadThroughAPlantedLinkWritesNothingOutsideTheRoot(@TempDir Path outside) throws Exception {
        Path secret = Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createDirectory(root.resolve("home"));
        write("/home/mine.txt", text("mine"));
        for (Path dir : List.of(root, root.resolve("home"))) {
            Files.createSymbolicLink(dir.resolve("escape"), outside.toRealPath());
            Files.createSymbolicLink(dir.resolve("victim"), secret.toRealPath());
            Files.createSymbolicLink(dir.resolve("climb"), dir.relativize(outside));
        }
        for (Storage target : List.of(storage, storage.scoped(path("/home")))) {
            for (String name : List.of("/escape/planted.txt", "/climb/planted.txt", "/victim", "/escape/secret.txt")) {
                assertJailed(() -> write(target, name, text("planted")), name);
                assertJailed(() -> target.openWrite(path(name), WriteMode.APPEND).close(), name);
                assertJailed(() -> target.delete(path(name)), name);
            }
            assertJailed(() -> target.createDirectory(path("/escape/made")), "mkdir");
            assertJailed(() -> target.rename(path("/victim"), path("/stolen")), "rename from");
            String mine = target == storage ? "/home/mine.txt" : "/mine.txt";
            assertJailed(() -> target.rename(path(mine), path("/escape/moved.txt")), "rename to");
            assertEquals(Set.of(), names(target, StoragePath.ROOT).stream()
                    .filter(n -> Set.of("escape", "victim", "climb").contains(n)).collect(java.util.stream.Collectors.toSet()));
        }
        assertEquals(List.of(secret), filesIn(outside));
        assertEquals("secret", Files.readString(secret));
        assertEquals(Set.of("home"), names(StoragePath.ROOT));
        assertArrayEquals(text("mine"), read("/home/mine.txt"));
    }

    @Test
    void aViewWhoseRootIsALinkIsConfinedToTheLinksTarget() throws Exception {
        storage.createDirectory(path("/real"));
        write("/real/f", text("in the real root"));
        write("/secret", text("secret"));
        Files.createSymbolicLink(root.resolve("alias"), Path.of("real"));
        Files.createSymbolicLink(root.resolve("real/up"), Path.of("../secret"));
        Files.createSymbolicLink(root.resolve("away"), Path.of("..").resolve(root.getFileName()));
        Storage view = storage.scoped(path("/alias"));
        assertArrayEquals(text("in the real root"), read(view, "/f"));
        assertEquals(path("/f"), view.canonical(path("/f")));
        assertEquals(Set.of("f"), names(view, StoragePath.ROOT));
        assertJailed(() -> view.openRead(path("/up"), 0), "a link above the view's root");
        // a root that leads out of the storage holds nothing
        Storage out = storage.scoped(path("/away"));
        assertJailed(() -> out.stat(StoragePath.ROOT), "a root outside the storage");
        assertJailed(() -> write(out, "/planted", text("x")), "a root outside the storage");
        assertEquals(Set.of("alias", "real", "secret"), names(StoragePath.ROOT));
    }

    @Test
    void loopsAndDanglingLinksAreAsIfAbsent() throws Exception {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        Files.createSymbolicLink(root.resolve("self"), Path.of("self/x"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("nothing-here"));
        write("/plain", text("p"));
        for (String name : List.of("/a", "/self", "/dangling")) {
            assertThrows(StorageException.NotFound.class, () -> storage.stat(path(name)), name);
        }
        assertEquals(Set.of("plain"), names(StoragePath.ROOT));
        // an upload through a dangling link inside the root creates its target, as open(2) would
        write("/dangling", text("now here"));
        assertArrayEquals(text("now here"), Files.readAllBytes(root.resolve("nothing-here")));
        assertTrue(Files.isSymbolicLink(root.resolve("dangling")));
    }

    @Test
    void aReplaceThroughALinkWritesItsTargetAndKeepsTheLink() throws Exception {
        write("/target", text("old"));
        Files.createSymbolicLink(root.resolve("link"), Path.of("target"));
        write("/link", text("new through the link"));
        assertTrue(Files.isSymbolicLink(root.resolve("link")));
        assertArrayEquals(text("new through the link"), read("/target"));
        assertEquals(Set.of("link", "target"), names(StoragePath.ROOT));
        assertEquals(20, entries(StoragePath.ROOT).get("link").size());
    }

    /**
     * Commit resolves the client's path again: a directory swapped for a link meanwhile stops it. The
     * temp file stays behind in the directory that was moved away (deleting it by path would go through
     * the new link, and finds nothing there); it is hidden, and recovery removes it at the next start.
     */
    @Test
    void aLinkSwappedInDuringAnUploadStopsItsCommit(@TempDir Path outside) throws Exception {
        storage.createDirectory(path("/d"));
        try (Upload upload = storage.openWrite(path("/d/f"), WriteMode.REPLACE)) {
            writeFully(upload.stream(), ByteBuffer.wrap(text("to the jail only")));
            Files.move(root.resolve("d"), root.resolve("moved"));
            Files.createSymbolicLink(root.resolve("d"), outside.toRealPath());
            assertJailed(upload::commit, "commit");
        }
        assertEquals(List.of(), filesIn(outside));
        assertTrue(filesIn(root.resolve("moved")).stream()
                .allMatch(p -> p.getFileName().toString().startsWith(".ferry-upload-")));
    }

    static void assertJailed(org.junit.jupiter.api.function.Executable action, String what) {
        StorageException e = assertThrows(StorageException.class, action, what);
        assertTrue(e instanceof StorageException.NotFound || e instanceof StorageException.AccessDenied, what + ": " + e);
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
                Duration.ofMillis(200), 100, 1))) {
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
