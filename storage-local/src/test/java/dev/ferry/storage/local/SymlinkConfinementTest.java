package dev.ferry.storage.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.NameListing;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the storage itself (its jail is local_storage_root): links inside the root are followed; a link
 * leading outside is as if absent (NotFound, left out of listings), and creating through it (an
 * upload or a directory where the link points, a rename onto it) is refused as AccessDenied.
 */
class SymlinkConfinementTest {

    @TempDir
    Path base;

    private Path root;
    private Path outside;
    private LocalStorage storage;

    @BeforeEach
    void layout() throws Exception {
        root = Files.createDirectory(base.resolve("root"));
        outside = Files.createDirectory(base.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "secret");
        Files.createDirectory(outside.resolve("dir"));
        Files.writeString(outside.resolve("dir/inner"), "inner");

        Files.writeString(root.resolve("real.txt"), "real");
        Files.createDirectory(root.resolve("sub"));
        Files.writeString(root.resolve("sub/f"), "in sub");

        Files.createSymbolicLink(root.resolve("out-file"), outside.resolve("secret"));
        Files.createSymbolicLink(root.resolve("out-dir"), outside.resolve("dir"));
        Files.createSymbolicLink(root.resolve("out-relative"), Path.of("../outside/secret"));
        Files.createSymbolicLink(root.resolve("out-dangling"), outside.resolve("not-yet"));
        Files.createSymbolicLink(root.resolve("in-file"), Path.of("real.txt"));
        Files.createSymbolicLink(root.resolve("in-dir"), root.resolve("sub"));
        Files.createSymbolicLink(root.resolve("sub/up"), Path.of(".."));
        storage = new LocalStorage(root);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void aLinkToAFileOutsideIsAsIfAbsentAndCannotBeWrittenThrough() throws Exception {
        for (String name : new String[] {"/out-file", "/out-relative"}) {
            StoragePath link = StoragePath.parse(name);
            assertAbsent(() -> storage.stat(link));
            assertAbsent(() -> storage.openRead(link, 0));
            assertDenied(() -> storage.openWrite(link, WriteMode.REPLACE));
            assertDenied(() -> storage.openWrite(link, WriteMode.APPEND));
            assertAbsent(() -> storage.delete(link));
            assertAbsent(() -> storage.rename(link, StoragePath.parse("/stolen")));
            assertDenied(() -> storage.rename(StoragePath.parse("/real.txt"), link));
            assertAbsent(() -> storage.setModified(link, Instant.EPOCH));
            assertAbsent(() -> storage.setPermissions(link, 0777));
            assertAbsent(() -> storage.list(link));
            assertAbsent(() -> storage.canonical(link));
        }
        assertEquals("secret", Files.readString(outside.resolve("secret")));
        assertFalse(PosixFilePermissions.toString(Files.getPosixFilePermissions(outside.resolve("secret"))).equals("rwxrwxrwx"));
        assertFalse(Files.getLastModifiedTime(outside.resolve("secret")).equals(FileTime.from(Instant.EPOCH)));
        assertTrue(Files.isSymbolicLink(root.resolve("out-file")));
        assertEquals("real", Files.readString(root.resolve("real.txt")));
    }

    @Test
    void nothingBelowALinkToADirectoryOutsideExists() throws Exception {
        StoragePath dir = StoragePath.parse("/out-dir");
        StoragePath inner = dir.child("inner");
        assertAbsent(() -> storage.stat(dir));
        assertAbsent(() -> storage.list(dir));
        assertAbsent(() -> storage.stat(inner));
        assertAbsent(() -> storage.openRead(inner, 0));
        assertAbsent(() -> storage.openWrite(dir.child("planted"), WriteMode.REPLACE));
        assertAbsent(() -> storage.openWrite(inner, WriteMode.REPLACE));
        assertAbsent(() -> storage.createDirectory(dir.child("mkdir")));
        assertAbsent(() -> storage.delete(inner));
        assertAbsent(() -> storage.deleteDirectory(dir));
        assertAbsent(() -> storage.rename(StoragePath.parse("/real.txt"), dir.child("moved")));
        assertAbsent(() -> storage.recover(dir));
        try (var files = Files.list(outside.resolve("dir"))) {
            assertEquals(Set.of(outside.resolve("dir/inner")), Set.copyOf(files.toList()));
        }
        assertEquals("inner", Files.readString(outside.resolve("dir/inner")));
    }

    @Test
    void aDanglingLinkLeadingOutsideCannotBeWrittenThrough() throws Exception {
        StoragePath link = StoragePath.parse("/out-dangling");
        assertDenied(() -> storage.openWrite(link, WriteMode.REPLACE));
        assertDenied(() -> storage.openWrite(link, WriteMode.CREATE_NEW));
        assertDenied(() -> storage.createDirectory(link));
        assertFalse(Files.exists(outside.resolve("not-yet")));
    }

    @Test
    void listingsLeaveOutLinksLeadingOutside() throws Exception {
        Set<String> names = new HashSet<>();
        try (Listing listing = storage.list(StoragePath.ROOT)) {
            for (FileInfo info : listing) {
                names.add(info.name());
            }
        }
        assertEquals(Set.of("real.txt", "sub", "in-file", "in-dir"), names);
    }

    /**
     * NLST's names (issue 15): every entry is named, links leading out and dangling ones included,
     * with no stat; a name is all they give, everything else on them is as if absent (above).
     * Upload temp files are never named.
     */
    @Test
    void namesNameEveryEntryButUploadTempFiles() throws Exception {
        Files.writeString(root.resolve(TempFiles.PREFIX + "upload" + TempFiles.SUFFIX), "partial");
        Set<String> named = new HashSet<>();
        try (NameListing names = storage.names(StoragePath.ROOT)) {
            for (String name : names) {
                assertTrue(named.add(name), "named twice: " + name);
            }
        }
        assertEquals(Set.of("real.txt", "sub", "in-file", "in-dir", "out-file", "out-dir", "out-relative",
                "out-dangling"), named);
        assertAbsent(() -> storage.names(StoragePath.parse("/out-dir")));
        assertAbsent(() -> storage.names(StoragePath.parse("/out-dangling")));
        Set<String> inDir = new HashSet<>();
        try (NameListing names = storage.names(StoragePath.parse("/in-dir"))) {
            names.forEach(inDir::add);
        }
        assertEquals(Set.of("f", "up"), inDir);
    }

    @Test
    void linksInsideTheRootAreFollowed() throws Exception {
        FileInfo file = storage.stat(StoragePath.parse("/in-file"));
        assertTrue(file.isFile());
        assertEquals(4, file.size());
        assertEquals("real", read("/in-file"));
        assertTrue(storage.stat(StoragePath.parse("/in-dir")).isDirectory());
        assertEquals("in sub", read("/in-dir/f"));
        assertEquals("real", read("/sub/up/real.txt"));
    }

    @Test
    void anUploadThroughALinkInsideReplacesTheLinkedFile() throws Exception {
        try (Upload upload = storage.openWrite(StoragePath.parse("/in-file"), WriteMode.REPLACE)) {
            upload.stream().write(ByteBuffer.wrap("through the link".getBytes(StandardCharsets.UTF_8)));
            upload.commit();
        }
        assertTrue(Files.isSymbolicLink(root.resolve("in-file")));
        assertEquals("through the link", Files.readString(root.resolve("real.txt")));
    }

    @Test
    void deletingALinkInsideRemovesTheLinkNotItsTarget() throws Exception {
        storage.delete(StoragePath.parse("/in-file"));
        assertFalse(Files.exists(root.resolve("in-file"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("real", Files.readString(root.resolve("real.txt")));
    }

    @Test
    void recoverDoesNotFollowLinksOutOfTheRoot() throws Exception {
        Path foreign = Files.writeString(outside.resolve("dir/.ferry-upload-00000000000000ff.part"), "not ours");
        Files.setLastModifiedTime(foreign, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        storage.recover(StoragePath.ROOT);
        assertTrue(Files.exists(foreign));
    }

    @Test
    void aRootGivenThroughALinkIsServed() throws Exception {
        Path alias = Files.createSymbolicLink(base.resolve("alias"), root);
        try (LocalStorage aliased = new LocalStorage(alias)) {
            assertTrue(aliased.stat(StoragePath.parse("/real.txt")).isFile());
            assertAbsent(() -> aliased.stat(StoragePath.parse("/out-file")));
        }
    }

    private String read(String path) throws StorageException, IOException {
        try (ReadableByteChannel in = storage.openRead(StoragePath.parse(path), 0)) {
            ByteBuffer buffer = ByteBuffer.allocate(1024);
            while (in.read(buffer) >= 0) {
                if (!buffer.hasRemaining()) {
                    throw new IllegalStateException("file larger than the test expects");
                }
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        }
    }

    private static void assertDenied(Executable operation) {
        assertThrows(StorageException.AccessDenied.class, operation);
    }

    private static void assertAbsent(Executable operation) {
        assertThrows(StorageException.NotFound.class, operation);
    }
}
