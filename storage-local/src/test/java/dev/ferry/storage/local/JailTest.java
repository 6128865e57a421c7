package dev.ferry.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.NameListing;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.io.ByteArrayOutputStream;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** How paths resolve inside scoped views on disk: what the contract suite does not pin down. */
class JailTest {

    @TempDir
    Path base;

    private Path root;
    private Path home;
    private Path alice;
    private LocalStorage storage;
    private Storage view;

    /** root/home/alice/{pub/{a.txt, sub/}, docs/d.txt} is alice's jail; root/home/shared/s.txt is not. */
    @BeforeEach
    void layout() throws Exception {
        root = Files.createDirectories(base.resolve("root")).toRealPath();
        home = Files.createDirectories(root.resolve("home"));
        alice = Files.createDirectories(home.resolve("alice"));
        Files.createDirectories(alice.resolve("pub/sub"));
        Files.createDirectories(alice.resolve("docs"));
        Files.writeString(alice.resolve("pub/a.txt"), "a");
        Files.writeString(alice.resolve("docs/d.txt"), "d");
        Files.createDirectories(home.resolve("shared"));
        Files.writeString(home.resolve("shared/s.txt"), "shared");
        storage = new LocalStorage(root);
        view = storage.scoped(path("/home/alice"));
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void loopsOfLinksAreAsIfAbsent() throws Exception {
        link("loop1", "loop2");
        link("loop2", "loop1");
        link("self", "self");
        for (String name : new String[] {"/loop1", "/self"}) {
            assertAbsent(() -> view.stat(path(name)));
            assertAbsent(() -> view.openRead(path(name), 0));
            assertAbsent(() -> view.list(path(name + "/x")));
            assertRefused(() -> write(view, name, "x"));
        }
        assertEquals(Set.of("pub", "docs"), names(view, StoragePath.ROOT));
    }

    @Test
    void fortyLinksInARowResolveAndOneMoreDoesNot() throws Exception {
        link("l39", "pub/a.txt");
        for (int i = 38; i >= 0; i--) {
            link("l" + i, "l" + (i + 1));
        }
        assertEquals("a", read(view, "/l0"));
        link("l-1", "l0");
        assertAbsent(() -> view.stat(path("/l-1")));
    }

    @Test
    void dotDotInATargetLeavesTheDirectoryWalkedThroughNotTheOneNamed() throws Exception {
        // /deep is pub/sub, so the .. of pub/sub/back leads to pub, not to the jail root
        link("deep", "pub/sub");
        Files.createSymbolicLink(alice.resolve("pub/sub/back"), Path.of("../a.txt"));
        assertEquals("a", read(view, "/deep/back"));
        assertEquals(path("/pub/a.txt"), view.canonical(path("/deep/back")));
    }

    @Test
    void anAbsoluteTargetIsInsideOnlyBelowTheJailsRealPath() throws Exception {
        Path sibling = Files.createDirectories(home.resolve("alice2"));
        Files.writeString(sibling.resolve("x"), "not alice's");
        link("sibling", sibling.resolve("x").toString());
        link("own", alice.resolve("docs/d.txt").toString());
        link("dotted", alice.resolve("docs/../../shared/s.txt").toString());
        assertAbsent(() -> view.stat(path("/sibling")));
        assertAbsent(() -> view.stat(path("/dotted")));
        assertEquals("d", read(view, "/own"));
    }

    @Test
    void aViewWhoseRootIsALinkServesTheTarget() throws Exception {
        Files.createSymbolicLink(home.resolve("bob"), Path.of("alice"));
        link("abs", alice.resolve("pub/a.txt").toString());
        Storage bob = storage.scoped(path("/home/bob"));
        assertEquals("a", read(bob, "/pub/a.txt"));
        // the jail is where the link leads: absolute links into it work, as in alice's own view
        assertEquals("a", read(bob, "/abs"));
        assertEquals(path("/pub/a.txt"), bob.canonical(path("/abs")));
    }

    @Test
    void aViewWhoseRootLeadsOutOfItsParentHoldsNothing() throws Exception {
        Files.createSymbolicLink(home.resolve("evil"), Path.of("../outside-home"));
        Files.createDirectories(root.resolve("outside-home"));
        Files.writeString(root.resolve("outside-home/o.txt"), "o");
        Storage homes = storage.scoped(path("/home"));
        Storage evil = homes.scoped(path("/evil"));
        assertAbsent(() -> evil.stat(StoragePath.ROOT));
        assertAbsent(() -> evil.openRead(path("/o.txt"), 0));
        assertAbsent(() -> evil.list(StoragePath.ROOT));
        assertRefused(() -> write(evil, "/planted", "x"));
        assertFalse(Files.exists(root.resolve("outside-home/planted")));
        // on the storage itself the same link leads somewhere inside
        assertEquals("o", read(storage.scoped(path("/home/evil")), "/o.txt"));
    }

    @Test
    void aViewOfAViewIsConfinedToTheInnerRoot() throws Exception {
        Files.createSymbolicLink(alice.resolve("pub/homes"), Path.of("../.."));
        Storage homes = storage.scoped(path("/home"));
        Storage inner = homes.scoped(path("/alice"));
        assertEquals("shared", read(homes, "/alice/pub/homes/shared/s.txt"));
        assertAbsent(() -> inner.openRead(path("/pub/homes/shared/s.txt"), 0));
        assertEquals(Set.of("a.txt", "sub"), names(inner, path("/pub")));
        assertEquals("a", read(inner, "/pub/a.txt"));
    }

    @Test
    void aViewsRootMayAppearLater() throws Exception {
        Storage carol = storage.scoped(path("/home/carol"));
        assertAbsent(() -> carol.stat(StoragePath.ROOT));
        assertAbsent(() -> carol.canonical(path("/x")));
        Files.createDirectories(home.resolve("carol"));
        write(carol, "/hello.txt", "hi");
        assertEquals("hi", Files.readString(home.resolve("carol/hello.txt")));
    }

    @Test
    void aDanglingLinkInsideNamesWhereAnUploadGoes() throws Exception {
        link("later", "pub/new.txt");
        assertEquals(path("/pub/new.txt"), view.canonical(path("/later")));
        write(view, "/later", "made through a link");
        assertEquals("made through a link", Files.readString(alice.resolve("pub/new.txt")));
        assertTrue(Files.isSymbolicLink(alice.resolve("later")));
        assertEquals("made through a link", read(view, "/later"));
    }

    @Test
    void aDanglingLinkOutsideCannotBeCreatedThrough() throws Exception {
        link("trap", "../shared/new.txt");
        link("trapdir", home.resolve("shared/newdir").toString());
        assertThrows(StorageException.AccessDenied.class, () -> write(view, "/trap", "x"));
        assertThrows(StorageException.AccessDenied.class, () -> view.createDirectory(path("/trapdir")));
        assertThrows(StorageException.AccessDenied.class, () -> view.rename(path("/pub/a.txt"), path("/trap")));
        assertAbsent(() -> view.canonical(path("/trap")));
        assertFalse(Files.exists(home.resolve("shared/new.txt")));
        assertFalse(Files.exists(home.resolve("shared/newdir")));
        assertTrue(Files.exists(alice.resolve("pub/a.txt")));
    }

    @Test
    void aLinkToAnUploadInProgressIsAbsent() throws Exception {
        Files.writeString(alice.resolve(".ferry-upload-0123456789abcdef.part"), "half");
        link("peek", ".ferry-upload-0123456789abcdef.part");
        assertAbsent(() -> view.openRead(path("/peek"), 0));
        assertEquals(Set.of("pub", "docs"), names(view, StoragePath.ROOT));
    }

    @Test
    void aLinkToADirectoryIsNotDeletedAsAFileNorRemovedAsADirectory() throws Exception {
        link("docs-link", "docs");
        assertThrows(StorageException.IsADirectory.class, () -> view.delete(path("/docs-link")));
        assertThrows(StorageException.AccessDenied.class, () -> view.deleteDirectory(path("/docs-link")));
        assertTrue(Files.isSymbolicLink(alice.resolve("docs-link")));
        assertTrue(Files.isDirectory(alice.resolve("docs")));
    }

    @Test
    void metadataChangesThroughALinkInsideReachTheTarget() throws Exception {
        link("a-link", "pub/a.txt");
        view.setPermissions(path("/a-link"), 0600);
        view.setModified(path("/a-link"), Instant.parse("2001-02-03T04:05:06Z"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(alice.resolve("pub/a.txt"))));
        assertEquals(FileTime.from(Instant.parse("2001-02-03T04:05:06Z")), Files.getLastModifiedTime(alice.resolve("pub/a.txt")));
        view.setModified(StoragePath.ROOT, Instant.parse("2002-02-03T04:05:06Z"));
        assertEquals(FileTime.from(Instant.parse("2002-02-03T04:05:06Z")), Files.getLastModifiedTime(alice));
    }

    @Test
    void aFileMovedToAnotherFileSystemKeepsItsBytesTimeAndMode() throws Exception {
        // EXDEV cannot be provoked without a second mount: the fallback is driven directly
        Path file = Files.writeString(alice.resolve("pub/a.txt"), "moved bytes");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2003-04-05T06:07:08Z")));
        StorageRoot jail = StorageRoot.open(alice.toRealPath(), new Attributes(true));
        try (Walk from = jail.open(StoragePath.ROOT); Walk to = from.restart()) {
            Entry source = from.resolve(path("/pub/a.txt"), false, false);
            Entry destination = to.resolve(path("/docs/b.txt"), false, true);
            new Renames(new TempFiles(), true).copyAcross(path("/pub/a.txt"), source, destination);
        } finally {
            jail.close();
        }
        Path moved = alice.resolve("docs/b.txt");
        assertFalse(Files.exists(file));
        assertEquals("moved bytes", Files.readString(moved));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(moved)));
        assertEquals(FileTime.from(Instant.parse("2003-04-05T06:07:08Z")), Files.getLastModifiedTime(moved));
        assertEquals(Set.of("d.txt", "b.txt"), names(view, path("/docs")));
    }

    @Test
    @Timeout(20)
    void aFifoIsNeitherServedNorOpened() throws Exception {
        Path fifo = alice.resolve("pub/pipe");
        assumeTrue(mkfifo(fifo), "no mkfifo on this machine");
        link("pipe-link", "pub/pipe");
        // opening a FIFO for reading would block until a writer comes: it must be refused first
        assertThrows(StorageException.AccessDenied.class, () -> view.openRead(path("/pub/pipe"), 0));
        assertThrows(StorageException.AccessDenied.class, () -> view.openRead(path("/pipe-link"), 0));
        assertThrows(StorageException.AccessDenied.class, () -> view.stat(path("/pub/pipe")));
        assertThrows(StorageException.AccessDenied.class, () -> write(view, "/pub/pipe", "x"));
        assertThrows(StorageException.class, () -> view.list(path("/pub/pipe/x")));
        assertEquals(Set.of("a.txt", "sub"), names(view, path("/pub")));
        // NLST's names read no entry: the FIFO is named, and that is all a client learns of it
        Set<String> named = new HashSet<>();
        try (NameListing names = view.names(path("/pub"))) {
            names.forEach(named::add);
        }
        assertEquals(Set.of("a.txt", "sub", "pipe"), named);
        assertTrue(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS));
    }

    private void link(String name, String target) throws IOException {
        Files.createSymbolicLink(alice.resolve(name), Path.of(target));
    }

    private static boolean mkfifo(Path fifo) {
        try {
            Process process = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static StoragePath path(String text) {
        return StoragePath.parse(text);
    }

    private static void write(Storage target, String path, String text) throws StorageException, IOException {
        try (Upload upload = target.openWrite(path(path), WriteMode.REPLACE)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                upload.stream().write(bytes);
            }
            upload.commit();
        }
    }

    private static String read(Storage source, String path) throws StorageException, IOException {
        try (ReadableByteChannel in = source.openRead(path(path), 0)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(1024);
            while (in.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static Set<String> names(Storage source, StoragePath dir) throws StorageException {
        Set<String> names = new HashSet<>();
        try (Listing listing = source.list(dir)) {
            for (FileInfo info : listing) {
                names.add(info.name());
            }
        }
        return names;
    }

    private static void assertAbsent(Executable operation) {
        assertThrows(StorageException.NotFound.class, operation);
    }

    private static void assertRefused(Executable operation) {
        StorageException e = assertThrows(StorageException.class, operation);
        assertTrue(e instanceof StorageException.NotFound || e instanceof StorageException.AccessDenied, e.toString());
    }
}
