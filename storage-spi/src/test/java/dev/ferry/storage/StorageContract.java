package dev.ferry.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one suite every backend passes. A backend's test extends it and supplies a fresh, empty
 * storage per test; tests that need a {@link Capability} are skipped when the backend lacks it, and
 * a few check that a missing capability is refused with {@link StorageException.Unsupported}.
 *
 * <p>Everything goes through the {@link Storage} interface only, so the same assertions hold for
 * local disk, S3 and VFS.
 */
public abstract class StorageContract {

    private static final StoragePath ROOT = StoragePath.ROOT;

    protected Storage storage;

    /** A new, empty storage; called before every test. */
    protected abstract Storage createStorage() throws Exception;

    /** Releases what {@link #createStorage()} made; the default closes the storage. */
    protected void destroyStorage(Storage storage) throws Exception {
        storage.close();
    }

    /**
     * Makes a symbolic link at {@code link} (a path of the storage {@link #createStorage()} made)
     * whose target is the raw text {@code target}, as someone with a shell on the storage's host
     * would. Returns false, which skips the link tests, for a backend without links (the default).
     */
    protected boolean makeLink(StoragePath link, String target) throws Exception {
        return false;
    }

    /** The absolute link target that names {@code path} of the storage on its host; for backends with links. */
    protected String absoluteTarget(StoragePath path) {
        throw new IllegalStateException("a backend with links gives absolute targets");
    }

    /** How many files {@link #listingReturnsEveryEntryOfALargeDirectory()} creates. */
    protected int largeDirectorySize() {
        return 2_000;
    }

    @BeforeEach
    final void openStorage() throws Exception {
        storage = createStorage();
    }

    @AfterEach
    final void closeStorage() throws Exception {
        if (storage != null) {
            destroyStorage(storage);
        }
    }

    // ---- stat ----

    @Test
    void rootIsADirectory() throws Exception {
        FileInfo root = storage.stat(ROOT);
        assertTrue(root.isDirectory());
        assertEquals(ROOT, root.path());
        assertSaneTime(root.modified());
    }

    @Test
    void statOfAMissingPathIsNotFound() {
        assertThrows(StorageException.NotFound.class, () -> storage.stat(path("/missing")));
        assertThrows(StorageException.NotFound.class, () -> storage.stat(path("/missing/deeper")));
    }

    @Test
    void statOfAFileReportsItsSizeTypeAndTime() throws Exception {
        write("/f.bin", bytes(1234));
        FileInfo info = storage.stat(path("/f.bin"));
        assertTrue(info.isFile());
        assertEquals(1234, info.size());
        assertEquals(path("/f.bin"), info.path());
        assertEquals("f.bin", info.name());
        assertSaneTime(info.modified());
    }

    @Test
    void statBelowAFileIsNotFoundOrNotADirectory() throws Exception {
        write("/f", bytes(3));
        StorageException e = assertThrows(StorageException.class, () -> storage.stat(path("/f/x")));
        assertTrue(e instanceof StorageException.NotFound || e instanceof StorageException.NotADirectory, e.toString());
    }

    // ---- write and read back ----

    @Test
    void emptyFileRoundTrips() throws Exception {
        assertEquals(0, write("/empty", new byte[0]));
        assertArrayEquals(new byte[0], read("/empty"));
        assertEquals(0, storage.stat(path("/empty")).size());
    }

    @Test
    void oneByteFileRoundTrips() throws Exception {
        assertEquals(1, write("/one", new byte[] {42}));
        assertArrayEquals(new byte[] {42}, read("/one"));
    }

    @Test
    void severalMebibytesRoundTripWithTheSameChecksum() throws Exception {
        byte[] data = bytes(5 * 1024 * 1024 + 17);
        try (Upload upload = storage.openWrite(path("/big.bin"), WriteMode.REPLACE)) {
            WritableByteChannel out = upload.stream();
            // odd chunk sizes, as a network copy loop produces them
            int position = 0;
            int chunk = 1;
            while (position < data.length) {
                int length = Math.min(chunk, data.length - position);
                writeFully(out, ByteBuffer.wrap(data, position, length));
                position += length;
                chunk = chunk * 3 % 70_001 + 1;
            }
            assertEquals(data.length, upload.commit());
        }
        assertEquals(data.length, storage.stat(path("/big.bin")).size());
        assertEquals(sha256(data), sha256(read("/big.bin")));
    }

    @Test
    void uploadIsInvisibleUntilCommit() throws Exception {
        try (Upload upload = storage.openWrite(path("/pending"), WriteMode.REPLACE)) {
            writeFully(upload.stream(), ByteBuffer.wrap(bytes(100)));
            assertThrows(StorageException.NotFound.class, () -> storage.stat(path("/pending")));
            assertFalse(names(ROOT).contains("pending"));
            upload.commit();
        }
        assertEquals(100, storage.stat(path("/pending")).size());
        assertEquals(Set.of("pending"), names(ROOT));
    }

    @Test
    void uploadOverAnExistingFileShowsTheOldBytesUntilCommit() throws Exception {
        write("/f", text("old"));
        try (Upload upload = storage.openWrite(path("/f"), WriteMode.REPLACE)) {
            writeFully(upload.stream(), ByteBuffer.wrap(text("new content")));
            assertArrayEquals(text("old"), read("/f"));
            upload.commit();
        }
        assertArrayEquals(text("new content"), read("/f"));
    }

    @Test
    void closingTheStreamBeforeCommitKeepsTheBytes() throws Exception {
        try (Upload upload = storage.openWrite(path("/f"), WriteMode.REPLACE)) {
            try (WritableByteChannel out = upload.stream()) {
                writeFully(out, ByteBuffer.wrap(text("written, then closed")));
            }
            assertEquals(20, upload.commit());
        }
        assertArrayEquals(text("written, then closed"), read("/f"));
    }

    @Test
    void closeWithoutCommitLeavesNothing() throws Exception {
        try (Upload upload = storage.openWrite(path("/abandoned"), WriteMode.REPLACE)) {
            writeFully(upload.stream(), ByteBuffer.wrap(bytes(4096)));
        }
        assertThrows(StorageException.NotFound.class, () -> storage.stat(path("/abandoned")));
        assertEquals(Set.of(), names(ROOT));
    }

    @Test
    void abortLeavesNoEntryInTheDirectory() throws Exception {
        storage.createDirectory(path("/d"));
        write("/d/keep", text("k"));
        Upload upload = storage.openWrite(path("/d/aborted"), WriteMode.REPLACE);
        writeFully(upload.stream(), ByteBuffer.wrap(bytes(10)));
        upload.abort();
        upload.abort();
        upload.close();
        assertEquals(Set.of("keep"), names(path("/d")));
    }

    @Test
    void writingAfterAbortFails() throws Exception {
        Upload upload = storage.openWrite(path("/f"), WriteMode.REPLACE);
        WritableByteChannel out = upload.stream();
        upload.abort();
        assertThrows(IOException.class, () -> out.write(ByteBuffer.wrap(bytes(10))));
        assertThrows(StorageException.NotFound.class, () -> storage.stat(path("/f")));
    }

    @Test
    void commitAfterAbortFailsAndLeavesNothing() throws Exception {
        Upload upload = storage.openWrite(path("/f"), WriteMode.REPLACE);
        writeFully(upload.stream(), ByteBuffer.wrap(bytes(10)));
        upload.abort();
        assertThrows(StorageException.class, upload::commit);
        assertThrows(StorageException.NotFound.class, () -> storage.stat(path("/f")));
    }

    @Test
    void commitTwiceFailsAndKeepsTheFirstCommit() throws Exception {
        try (Upload upload = storage.openWrite(path("/f"), WriteMode.REPLACE)) {
            writeFully(upload.stream(), ByteBuffer.wrap(text("once")));
            assertEquals(4, upload.commit());
            assertThrows(StorageException.Failed.class, upload::commit);
        }
        assertArrayEquals(text("once"), read("/f"));
        assertEquals(Set.of("f"), names(ROOT));
    }

    @Test
    void closeAndAbortAfterCommitKeepTheFile() throws Exception {
        Upload upload = storage.openWrite(path("/f"), WriteMode.REPLACE);
        writeFully(upload.stream(), ByteBuffer.wrap(text("kept")));
        upload.commit();
        upload.abort();
        upload.close();
        assertArrayEquals(text("kept"), read("/f"));
        assertEquals(Set.of("f"), names(ROOT));
    }

    @Test
    void writingAfterCommitFails() throws Exception {
        try (Upload upload = storage.openWrite(path("/f"), WriteMode.REPLACE)) {
            WritableByteChannel out = upload.stream();
            writeFully(out, ByteBuffer.wrap(text("done")));
            upload.commit();
            assertThrows(IOException.class, () -> out.write(ByteBuffer.wrap(bytes(10))));
        }
        assertArrayEquals(text("done"), read("/f"));
    }

    @Test
    void writingAfterAbortFailsEvenWithAnEmptyBuffer() throws Exception {
        try (Upload upload = storage.openWrite(path("/f"), WriteMode.REPLACE)) {
            WritableByteChannel out = upload.stream();
            writeFully(out, ByteBuffer.wrap(bytes(10)));
            upload.abort();
            assertFalse(out.isOpen());
            assertThrows(IOException.class, () -> out.write(ByteBuffer.wrap(bytes(1))));
        }
        assertEquals(Set.of(), names(ROOT));
    }

    @Test
    void aFailedPublishLeavesNothingOfItsOwnAndCannotBeRetried() throws Exception {
        assumeTrue(has(Capability.EXCLUSIVE_CREATE));
        storage.createDirectory(path("/d"));
        try (Upload upload = storage.openWrite(path("/d/race"), WriteMode.CREATE_NEW)) {
            writeFully(upload.stream(), ByteBuffer.wrap(bytes(5000)));
            write("/d/race", text("winner"));
            assertThrows(StorageException.AlreadyExists.class, upload::commit);
            assertThrows(StorageException.Failed.class, upload::commit);
            upload.abort();
        }
        assertArrayEquals(text("winner"), read("/d/race"));
        assertEquals(Set.of("race"), names(path("/d")));
        storage.delete(path("/d/race"));
        storage.deleteDirectory(path("/d"));
    }

    @Test
    void abortedReplaceKeepsTheOldContent() throws Exception {
        write("/f", text("the original"));
        try (Upload upload = storage.openWrite(path("/f"), WriteMode.REPLACE)) {
            writeFully(upload.stream(), ByteBuffer.wrap(text("par")));
            upload.abort();
        }
        assertArrayEquals(text("the original"), read("/f"));
        assertEquals(Set.of("f"), names(ROOT));
    }

    @Test
    void replaceOverwritesAnExistingFile() throws Exception {
        write("/f", bytes(5000));
        write("/f", text("short"));
        assertArrayEquals(text("short"), read("/f"));
        assertEquals(5, storage.stat(path("/f")).size());
        assertEquals(Set.of("f"), names(ROOT));
    }

    @Test
    void uploadIntoAMissingDirectoryIsNotFound() {
        assertThrows(StorageException.NotFound.class, () -> write("/no/such/file", text("x")));
    }

    @Test
    void uploadOntoADirectoryIsRefused() throws Exception {
        storage.createDirectory(path("/d"));
        assertThrows(StorageException.IsADirectory.class, () -> write("/d", text("x")));
        assertTrue(storage.stat(path("/d")).isDirectory());
    }

    @Test
    void uploadIntoASubdirectory() throws Exception {
        storage.createDirectory(path("/a"));
        storage.createDirectory(path("/a/b"));
        write("/a/b/c.txt", text("deep"));
        assertArrayEquals(text("deep"), read("/a/b/c.txt"));
    }

    // ---- CreateNew ----

    @Test
    void createNewMakesAFile() throws Exception {
        assumeTrue(has(Capability.EXCLUSIVE_CREATE));
        write("/new", text("n"), WriteMode.CREATE_NEW);
        assertArrayEquals(text("n"), read("/new"));
    }

    @Test
    void createNewOverAnExistingFileIsAlreadyExists() throws Exception {
        assumeTrue(has(Capability.EXCLUSIVE_CREATE));
        write("/f", text("first"));
        assertThrows(StorageException.AlreadyExists.class, () -> write("/f", text("second"), WriteMode.CREATE_NEW));
        assertArrayEquals(text("first"), read("/f"));
    }

    @Test
    void createNewLosesWhenTheNameAppearsBeforeCommit() throws Exception {
        assumeTrue(has(Capability.EXCLUSIVE_CREATE));
        try (Upload upload = storage.openWrite(path("/race"), WriteMode.CREATE_NEW)) {
            writeFully(upload.stream(), ByteBuffer.wrap(text("loser")));
            write("/race", text("winner"));
            assertThrows(StorageException.AlreadyExists.class, upload::commit);
        }
        assertArrayEquals(text("winner"), read("/race"));
        assertEquals(Set.of("race"), names(ROOT));
    }

    // ---- Append ----

    @Test
    void appendAddsToTheEnd() throws Exception {
        assumeTrue(has(Capability.APPEND));
        write("/log", text("one,"));
        assertEquals(8, write("/log", text("two,"), WriteMode.APPEND));
        assertArrayEquals(text("one,two,"), read("/log"));
    }

    @Test
    void appendToAMissingFileCreatesIt() throws Exception {
        assumeTrue(has(Capability.APPEND));
        write("/log", text("first"), WriteMode.APPEND);
        assertArrayEquals(text("first"), read("/log"));
    }

    @Test
    void abortedAppendKeepsTheOriginal() throws Exception {
        assumeTrue(has(Capability.APPEND));
        write("/log", text("original"));
        try (Upload upload = storage.openWrite(path("/log"), WriteMode.APPEND)) {
            writeFully(upload.stream(), ByteBuffer.wrap(bytes(70_000)));
            upload.abort();
        }
        assertArrayEquals(text("original"), read("/log"));
        assertEquals(Set.of("log"), names(ROOT));
    }

    @Test
    void appendWithoutTheCapabilityIsUnsupported() throws Exception {
        assumeFalse(has(Capability.APPEND));
        write("/log", text("x"));
        assertThrows(StorageException.Unsupported.class, () -> storage.openWrite(path("/log"), WriteMode.APPEND));
    }

    // ---- ResumeAt ----

    @Test
    void resumeKeepsTheFirstBytesAndWritesFromTheOffset() throws Exception {
        assumeTrue(has(Capability.WRITE_AT_OFFSET));
        write("/f", text("0123456789"));
        assertEquals(7, write("/f", text("abc"), new WriteMode.ResumeAt(4)));
        assertArrayEquals(text("0123abc"), read("/f"));
    }

    @Test
    void resumeAtTheEndAppends() throws Exception {
        assumeTrue(has(Capability.WRITE_AT_OFFSET));
        write("/f", text("01234"));
        write("/f", text("56789"), new WriteMode.ResumeAt(5));
        assertArrayEquals(text("0123456789"), read("/f"));
    }

    @Test
    void resumeAtZeroOnAMissingFileCreatesIt() throws Exception {
        assumeTrue(has(Capability.WRITE_AT_OFFSET));
        write("/f", text("fresh"), new WriteMode.ResumeAt(0));
        assertArrayEquals(text("fresh"), read("/f"));
    }

    @Test
    void resumeBeyondTheEndIsRefused() throws Exception {
        assumeTrue(has(Capability.WRITE_AT_OFFSET));
        write("/f", text("01234"));
        assertThrows(StorageException.class, () -> storage.openWrite(path("/f"), new WriteMode.ResumeAt(6)));
        assertThrows(StorageException.class, () -> storage.openWrite(path("/missing"), new WriteMode.ResumeAt(1)));
        assertArrayEquals(text("01234"), read("/f"));
        assertEquals(Set.of("f"), names(ROOT));
    }

    @Test
    void abortedResumeKeepsTheOriginal() throws Exception {
        assumeTrue(has(Capability.WRITE_AT_OFFSET));
        write("/f", text("0123456789"));
        try (Upload upload = storage.openWrite(path("/f"), new WriteMode.ResumeAt(2))) {
            writeFully(upload.stream(), ByteBuffer.wrap(text("xy")));
        }
        assertArrayEquals(text("0123456789"), read("/f"));
    }

    @Test
    void resumeWithoutTheCapabilityIsUnsupported() throws Exception {
        assumeFalse(has(Capability.WRITE_AT_OFFSET));
        write("/f", text("0123"));
        assertThrows(StorageException.Unsupported.class, () -> storage.openWrite(path("/f"), new WriteMode.ResumeAt(2)));
    }

    // ---- read ----

    @Test
    void readFromAnOffsetReturnsTheTail() throws Exception {
        byte[] data = bytes(100_000);
        write("/f", data);
        byte[] tail = read("/f", 65_537);
        assertArrayEquals(Arrays.copyOfRange(data, 65_537, data.length), tail);
    }

    @Test
    void readFromAnOffsetWithRandomRead() throws Exception {
        assumeTrue(has(Capability.RANDOM_READ));
        write("/f", text("0123456789"));
        assertArrayEquals(text("789"), read("/f", 7));
    }

    @Test
    void readFromAnOffsetWithoutRandomReadSkips() throws Exception {
        assumeFalse(has(Capability.RANDOM_READ));
        write("/f", text("0123456789"));
        assertArrayEquals(text("789"), read("/f", 7));
    }

    @Test
    void readFromTheEndOrBeyondReturnsNothing() throws Exception {
        write("/f", text("0123"));
        assertArrayEquals(new byte[0], read("/f", 4));
        assertArrayEquals(new byte[0], read("/f", 1000));
    }

    @Test
    void readOfAMissingFileIsNotFound() {
        assertThrows(StorageException.NotFound.class, () -> storage.openRead(path("/missing"), 0));
    }

    @Test
    void readOfADirectoryIsRefused() throws Exception {
        storage.createDirectory(path("/d"));
        assertThrows(StorageException.IsADirectory.class, () -> storage.openRead(path("/d"), 0));
        assertThrows(StorageException.IsADirectory.class, () -> storage.openRead(ROOT, 0));
    }

    @Test
    void aCheckedReadSeesWhatStatSeesAndOpensOnlyWhatItAccepts() throws Exception {
        write("/f", text("0123456789"));
        storage.createDirectory(path("/d"));
        List<FileInfo> seen = new ArrayList<>();
        assertTrue(storage.openRead(path("/f"), 3, info -> seen.add(info) && false).isEmpty());
        assertEquals(path("/f"), seen.getFirst().path());
        assertEquals(10, seen.getFirst().size());
        assertFalse(seen.getFirst().isDirectory());
        try (ReadableByteChannel in = storage.openRead(path("/f"), 3, info -> info.size() == 10).orElseThrow()) {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            while (in.read(buffer) >= 0) {
                // to the end
            }
            assertArrayEquals(text("3456789"), Arrays.copyOf(buffer.array(), buffer.position()));
        }
        assertTrue(storage.openRead(path("/d"), 0, info -> seen.add(info) && !info.isDirectory()).isEmpty());
        assertTrue(seen.getLast().isDirectory());
        assertThrows(StorageException.IsADirectory.class, () -> storage.openRead(path("/d"), 0, info -> true));
        assertThrows(StorageException.NotFound.class, () -> storage.openRead(path("/missing"), 0, info -> true));
        // a view reports its own paths to the check
        Storage view = storage.scoped(path("/d"));
        write(view, "/g", text("in d"));
        try (ReadableByteChannel in = view.openRead(path("/g"), 0, info -> info.path().equals(path("/g"))).orElseThrow()) {
            assertTrue(in.isOpen());
        }
    }

    // ---- list ----

    @Test
    void listReportsNameTypeAndSize() throws Exception {
        storage.createDirectory(path("/sub"));
        write("/a.txt", bytes(10));
        write("/b.bin", bytes(0));
        Map<String, FileInfo> entries = entries(ROOT);
        assertEquals(Set.of("sub", "a.txt", "b.bin"), entries.keySet());
        assertTrue(entries.get("sub").isDirectory());
        assertTrue(entries.get("a.txt").isFile());
        assertEquals(10, entries.get("a.txt").size());
        assertEquals(0, entries.get("b.bin").size());
        assertEquals(path("/sub"), entries.get("sub").path());
        for (FileInfo info : entries.values()) {
            assertSaneTime(info.modified());
        }
    }

    @Test
    void listOfAnEmptyDirectoryIsEmpty() throws Exception {
        assertEquals(Set.of(), names(ROOT));
    }

    @Test
    void listOfASubdirectoryShowsOnlyItsChildren() throws Exception {
        storage.createDirectory(path("/d"));
        storage.createDirectory(path("/d/e"));
        write("/d/e/deep", text("x"));
        write("/d/f", text("x"));
        write("/top", text("x"));
        assertEquals(Set.of("e", "f"), names(path("/d")));
        assertEquals(path("/d/f"), entries(path("/d")).get("f").path());
    }

    @Test
    void listOfAFileIsNotADirectory() throws Exception {
        write("/f", text("x"));
        assertThrows(StorageException.NotADirectory.class, () -> storage.list(path("/f")).close());
    }

    @Test
    void listOfAMissingDirectoryIsNotFound() {
        assertThrows(StorageException.NotFound.class, () -> storage.list(path("/missing")).close());
    }

    @Test
    @Timeout(120)
    void listingReturnsEveryEntryOfALargeDirectory() throws Exception {
        Set<String> expected = fillLargeDirectory("/many");
        int count = expected.size();
        List<String> listed = new ArrayList<>();
        try (Listing listing = storage.list(path("/many"))) {
            for (FileInfo info : listing) {
                listed.add(info.name());
            }
        }
        assertEquals(count, listed.size(), "no entry twice, none missing");
        assertEquals(expected, new HashSet<>(listed));
    }

    /** {@code dir} with {@link #largeDirectorySize} files; their names. */
    private Set<String> fillLargeDirectory(String dir) throws Exception {
        storage.createDirectory(path(dir));
        Set<String> names = new HashSet<>();
        for (int i = 0; i < largeDirectorySize(); i++) {
            String name = "file-" + i;
            write(dir + "/" + name, text(name));
            names.add(name);
        }
        return names;
    }

    // ---- names (NLST) ----

    @Test
    void namesAreTheListedNames() throws Exception {
        storage.createDirectory(path("/d"));
        storage.createDirectory(path("/d/e"));
        write("/d/e/deep", text("x"));
        write("/d/f", text("x"));
        write("/top", text("x"));
        assertEquals(names(ROOT), nameSet(storage, ROOT));
        assertEquals(Set.of("d", "top"), nameSet(storage, ROOT));
        assertEquals(Set.of("e", "f"), nameSet(storage, path("/d")));
        assertEquals(Set.of("deep"), nameSet(storage, path("/d/e")));
        storage.createDirectory(path("/empty"));
        assertEquals(Set.of(), nameSet(storage, path("/empty")));
    }

    @Test
    void namesOfAFileOrAMissingDirectoryFailAsListDoes() throws Exception {
        write("/f", text("x"));
        assertThrows(StorageException.NotADirectory.class, () -> storage.names(path("/f")).close());
        assertThrows(StorageException.NotFound.class, () -> storage.names(path("/missing")).close());
    }

    @Test
    @Timeout(120)
    void namesOfALargeDirectoryAreEveryNameOnce() throws Exception {
        Set<String> expected = fillLargeDirectory("/many");
        int count = expected.size();
        List<String> named = new ArrayList<>();
        try (NameListing names = storage.names(path("/many"))) {
            names.forEach(named::add);
        }
        assertEquals(count, named.size(), "no name twice, none missing");
        assertEquals(expected, new HashSet<>(named));
    }

    // ---- directories ----

    @Test
    void createDirectoryMakesAnEmptyDirectory() throws Exception {
        storage.createDirectory(path("/d"));
        assertTrue(storage.stat(path("/d")).isDirectory());
        assertEquals(Set.of(), names(path("/d")));
        assertEquals(Set.of("d"), names(ROOT));
    }

    @Test
    void emptyDirectoryStaysWhenItsLastFileIsDeleted() throws Exception {
        assumeTrue(has(Capability.EMPTY_DIRECTORIES));
        storage.createDirectory(path("/d"));
        write("/d/f", text("x"));
        storage.delete(path("/d/f"));
        assertTrue(storage.stat(path("/d")).isDirectory());
    }

    @Test
    void createExistingDirectoryIsAlreadyExists() throws Exception {
        storage.createDirectory(path("/d"));
        write("/f", text("x"));
        assertThrows(StorageException.AlreadyExists.class, () -> storage.createDirectory(path("/d")));
        assertThrows(StorageException.AlreadyExists.class, () -> storage.createDirectory(path("/f")));
        assertThrows(StorageException.AlreadyExists.class, () -> storage.createDirectory(ROOT));
        assertTrue(storage.stat(path("/f")).isFile());
    }

    @Test
    void createDirectoryWithoutParentIsNotFound() {
        assertThrows(StorageException.NotFound.class, () -> storage.createDirectory(path("/a/b")));
        assertThrows(StorageException.NotFound.class, () -> storage.stat(path("/a")));
    }

    @Test
    void deleteDirectoryRemovesAnEmptyDirectory() throws Exception {
        storage.createDirectory(path("/d"));
        storage.deleteDirectory(path("/d"));
        assertThrows(StorageException.NotFound.class, () -> storage.stat(path("/d")));
        assertEquals(Set.of(), names(ROOT));
    }

    @Test
    void deleteNonEmptyDirectoryIsDirectoryNotEmpty() throws Exception {
        storage.createDirectory(path("/d"));
        write("/d/f", text("x"));
        assertThrows(StorageException.DirectoryNotEmpty.class, () -> storage.deleteDirectory(path("/d")));
        assertArrayEquals(text("x"), read("/d/f"));
    }

    @Test
    void deleteDirectoryOfAFileIsNotADirectory() throws Exception {
        write("/f", text("x"));
        assertThrows(StorageException.NotADirectory.class, () -> storage.deleteDirectory(path("/f")));
        assertTrue(storage.stat(path("/f")).isFile());
    }

    @Test
    void deleteMissingDirectoryIsNotFound() {
        assertThrows(StorageException.NotFound.class, () -> storage.deleteDirectory(path("/missing")));
    }

    @Test
    void theRootCannotBeDeleted() throws Exception {
        assertThrows(StorageException.class, () -> storage.deleteDirectory(ROOT));
        assertTrue(storage.stat(ROOT).isDirectory());
    }

    // ---- delete ----

    @Test
    void deleteRemovesAFile() throws Exception {
        write("/f", text("x"));
        write("/g", text("y"));
        storage.delete(path("/f"));
        assertThrows(StorageException.NotFound.class, () -> storage.stat(path("/f")));
        assertEquals(Set.of("g"), names(ROOT));
    }

    @Test
    void deleteMissingFileIsNotFound() {
        assertThrows(StorageException.NotFound.class, () -> storage.delete(path("/missing")));
    }

    @Test
    void deleteOfADirectoryIsIsADirectory() throws Exception {
        storage.createDirectory(path("/d"));
        assertThrows(StorageException.IsADirectory.class, () -> storage.delete(path("/d")));
        assertTrue(storage.stat(path("/d")).isDirectory());
    }

    // ---- rename ----

    @Test
    void renameMovesAFile() throws Exception {
        assumeTrue(has(Capability.RENAME));
        storage.createDirectory(path("/d"));
        write("/a", text("content"));
        storage.rename(path("/a"), path("/d/b"));
        assertThrows(StorageException.NotFound.class, () -> storage.stat(path("/a")));
        assertArrayEquals(text("content"), read("/d/b"));
        assertEquals(Set.of("d"), names(ROOT));
    }

    @Test
    void renameReplacesAnExistingFile() throws Exception {
        assumeTrue(has(Capability.RENAME));
        write("/a", text("new"));
        write("/b", text("old target"));
        storage.rename(path("/a"), path("/b"));
        assertArrayEquals(text("new"), read("/b"));
        assertEquals(Set.of("b"), names(ROOT));
    }

    @Test
    void renameOfAFileOntoADirectoryIsRefused() throws Exception {
        assumeTrue(has(Capability.RENAME));
        write("/a", text("x"));
        storage.createDirectory(path("/d"));
        assertThrows(StorageException.IsADirectory.class, () -> storage.rename(path("/a"), path("/d")));
        assertArrayEquals(text("x"), read("/a"));
        assertTrue(storage.stat(path("/d")).isDirectory());
    }

    @Test
    void renameMissingIsNotFound() throws Exception {
        assumeTrue(has(Capability.RENAME));
        assertThrows(StorageException.NotFound.class, () -> storage.rename(path("/missing"), path("/b")));
        write("/a", text("x"));
        assertThrows(StorageException.NotFound.class, () -> storage.rename(path("/a"), path("/no/b")));
        assertArrayEquals(text("x"), read("/a"));
    }

    @Test
    void renameMovesADirectoryWithItsContent() throws Exception {
        assumeTrue(has(Capability.RENAME_DIRECTORY));
        storage.createDirectory(path("/d"));
        storage.createDirectory(path("/d/sub"));
        write("/d/sub/f", text("inside"));
        storage.rename(path("/d"), path("/e"));
        assertThrows(StorageException.NotFound.class, () -> storage.stat(path("/d")));
        assertArrayEquals(text("inside"), read("/e/sub/f"));
        assertEquals(Set.of("e"), names(ROOT));
    }

    @Test
    void renameOfADirectoryOntoAnExistingNameIsRefused() throws Exception {
        assumeTrue(has(Capability.RENAME_DIRECTORY));
        storage.createDirectory(path("/d"));
        storage.createDirectory(path("/e"));
        write("/f", text("x"));
        assertThrows(StorageException.AlreadyExists.class, () -> storage.rename(path("/d"), path("/e")));
        assertThrows(StorageException.AlreadyExists.class, () -> storage.rename(path("/d"), path("/f")));
        assertEquals(Set.of("d", "e", "f"), names(ROOT));
        assertArrayEquals(text("x"), read("/f"));
    }

    @Test
    void renameOfADirectoryIntoItselfIsRefused() throws Exception {
        assumeTrue(has(Capability.RENAME_DIRECTORY));
        storage.createDirectory(path("/d"));
        assertThrows(StorageException.class, () -> storage.rename(path("/d"), path("/d/inner")));
        assertTrue(storage.stat(path("/d")).isDirectory());
        assertEquals(Set.of(), names(path("/d")));
    }

    @Test
    void renameOfADirectoryWithoutTheCapabilityIsUnsupported() throws Exception {
        assumeTrue(has(Capability.RENAME));
        assumeFalse(has(Capability.RENAME_DIRECTORY));
        storage.createDirectory(path("/d"));
        assertThrows(StorageException.Unsupported.class, () -> storage.rename(path("/d"), path("/e")));
    }

    @Test
    void renameWithoutTheCapabilityIsUnsupported() throws Exception {
        assumeFalse(has(Capability.RENAME));
        write("/a", text("x"));
        assertThrows(StorageException.Unsupported.class, () -> storage.rename(path("/a"), path("/b")));
    }

    // ---- metadata ----

    @Test
    void setModifiedIsVisibleInStatAndListing() throws Exception {
        assumeTrue(has(Capability.SET_MODIFIED));
        Instant time = Instant.parse("2001-02-03T04:05:06Z");
        write("/f", text("x"));
        storage.setModified(path("/f"), time);
        assertEquals(time, storage.stat(path("/f")).modified().truncatedTo(ChronoUnit.SECONDS));
        assertEquals(time, entries(ROOT).get("f").modified().truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void setModifiedOfAMissingFileIsNotFound() {
        assumeTrue(has(Capability.SET_MODIFIED));
        assertThrows(StorageException.NotFound.class, () -> storage.setModified(path("/missing"), Instant.now()));
    }

    @Test
    void setModifiedWithoutTheCapabilityIsUnsupported() throws Exception {
        assumeFalse(has(Capability.SET_MODIFIED));
        write("/f", text("x"));
        assertThrows(StorageException.Unsupported.class, () -> storage.setModified(path("/f"), Instant.now()));
    }

    @Test
    void setPermissionsIsVisibleInStat() throws Exception {
        assumeTrue(has(Capability.POSIX_ATTRIBUTES));
        write("/f", text("x"));
        storage.setPermissions(path("/f"), 0640);
        assertEquals(0640, storage.stat(path("/f")).permissions().orElseThrow());
        storage.setPermissions(path("/f"), 0604);
        assertEquals(0604, entries(ROOT).get("f").permissions().orElseThrow());
    }

    @Test
    void setPermissionsWithoutTheCapabilityIsUnsupported() throws Exception {
        assumeFalse(has(Capability.POSIX_ATTRIBUTES));
        write("/f", text("x"));
        assertThrows(StorageException.Unsupported.class, () -> storage.setPermissions(path("/f"), 0600));
    }

    @Test
    void modifiedTimeOfANewFileIsNow() throws Exception {
        Instant before = Instant.now().minus(Duration.ofMinutes(2));
        write("/f", text("x"));
        Instant modified = storage.stat(path("/f")).modified();
        assertTrue(modified.isAfter(before) && modified.isBefore(Instant.now().plus(Duration.ofMinutes(2))),
                "modified " + modified);
    }

    // ---- names ----

    @Test
    void namesWithSpacesAndUnicodeRoundTrip() throws Exception {
        String name = "é ü 漢字.txt";
        storage.createDirectory(path("/dir with space"));
        write("/dir with space/" + name, text(name));
        assertEquals(Set.of(name), names(path("/dir with space")));
        assertArrayEquals(text(name), read("/dir with space/" + name));
        assertEquals(name, storage.stat(path("/dir with space/" + name)).name());
    }

    @Test
    void namesThatLookLikeSpecialSyntaxAreLiteral() throws Exception {
        for (String name : List.of("%2e%2e", "...", "-rf", "*", "a;b", " leading", "trailing ")) {
            write("/" + name, text(name));
        }
        assertEquals(Set.of("%2e%2e", "...", "-rf", "*", "a;b", " leading", "trailing "), names(ROOT));
        assertArrayEquals(text("*"), read("/*"));
    }

    // ---- concurrency ----

    @Test
    @Timeout(120)
    void concurrentUploadsToDifferentNamesAllArrive() throws Exception {
        int threads = 6;
        int perThread = 15;
        storage.createDirectory(path("/up"));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String name = "/up/t" + thread + "-" + i;
                        write(name, content(name));
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, FileInfo> entries = entries(path("/up"));
        assertEquals(threads * perThread, entries.size());
        for (String name : entries.keySet()) {
            assertArrayEquals(content("/up/" + name), read("/up/" + name), name);
        }
    }

    @Test
    @Timeout(60)
    void concurrentReplacesOfOneNameLeaveOneCompleteVersion() throws Exception {
        assumeTrue(has(Capability.ATOMIC_REPLACE));
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<byte[]> data = new ArrayList<>();
        Set<String> versions = new HashSet<>();
        for (int t = 0; t < threads; t++) {
            data.add(content("version " + t + " ".repeat(20_000 * (t + 1))));
            versions.add(sha256(data.get(t)));
        }
        try {
            List<Future<?>> done = new ArrayList<>();
            for (byte[] version : data) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        write("/contended", version);
                        String seen = sha256(read("/contended"));
                        assertTrue(versions.contains(seen), "a reader saw a mix of versions");
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(versions.contains(sha256(read("/contended"))));
        assertEquals(Set.of("contended"), names(ROOT));
    }

    // ---- recover ----

    @Test
    void recoverKeepsCommittedFiles() throws Exception {
        storage.createDirectory(path("/d"));
        write("/d/f", text("kept"));
        storage.recover(ROOT);
        assertArrayEquals(text("kept"), read("/d/f"));
        assertEquals(Set.of("f"), names(path("/d")));
    }

    @Test
    void recoverDoesNotDisturbAnUploadInProgress() throws Exception {
        try (Upload upload = storage.openWrite(path("/f"), WriteMode.REPLACE)) {
            writeFully(upload.stream(), ByteBuffer.wrap(text("in flight")));
            storage.recover(ROOT);
            writeFully(upload.stream(), ByteBuffer.wrap(text(", done")));
            upload.commit();
        }
        assertArrayEquals(text("in flight, done"), read("/f"));
    }

    // ---- scoped views: the jail ----

    @Test
    void aScopedViewSeesItsRootAsSlash() throws Exception {
        jailLayout();
        Storage view = storage.scoped(path("/jail"));
        assertTrue(view.stat(ROOT).isDirectory());
        FileInfo file = view.stat(path("/data/f.txt"));
        assertEquals(path("/data/f.txt"), file.path());
        assertEquals(6, file.size());
        assertEquals(Set.of("data"), names(view, ROOT));
        assertEquals(Set.of("f.txt", "sub"), names(view, path("/data")));
        assertArrayEquals(text("inside"), read(view, "/data/f.txt"));
        // client text cannot climb above the view's root: /../secret.txt is /secret.txt of the view
        assertThrows(StorageException.NotFound.class, () -> view.stat(ROOT.resolve("../secret.txt")));
        assertThrows(StorageException.NotFound.class, () -> view.openRead(ROOT.resolve("../../secret.txt"), 0));

        write(view, "/new.txt", text("made in the view"));
        assertArrayEquals(text("made in the view"), read("/jail/new.txt"));
        view.createDirectory(path("/made"));
        assertTrue(storage.stat(path("/jail/made")).isDirectory());
        String last = "/new.txt";
        if (has(Capability.RENAME)) {
            view.rename(path(last), path("/made/moved.txt"));
            last = "/made/moved.txt";
            assertArrayEquals(text("made in the view"), read("/jail" + last));
        }
        view.delete(path(last));
        String gone = "/jail" + last;
        assertThrows(StorageException.NotFound.class, () -> storage.stat(path(gone)));
        assertEquals(path("/data/f.txt"), view.canonical(path("/data/f.txt")));
        assertEquals(path("/data/missing"), view.canonical(path("/data/missing")));

        Storage inner = view.scoped(path("/data"));
        assertEquals(Set.of("f.txt", "sub"), names(inner, ROOT));
        assertArrayEquals(text("inside"), read(inner, "/f.txt"));
        assertArrayEquals(text("secret"), read("/secret.txt"));
    }

    @Test
    void aScopedViewOfAMissingRootHoldsNothing() throws Exception {
        jailLayout();
        Storage view = storage.scoped(path("/no-such-root"));
        assertThrows(StorageException.NotFound.class, () -> view.stat(path("/data/f.txt")));
        assertThrows(StorageException.NotFound.class, () -> view.openRead(path("/secret.txt"), 0));
    }

    @Test
    void anUploadGetsItsModeFromTheStart() throws Exception {
        assumeTrue(has(Capability.POSIX_ATTRIBUTES));
        try (Upload upload = storage.openWrite(path("/private"), WriteMode.REPLACE, OptionalInt.of(0600))) {
            writeFully(upload.stream(), ByteBuffer.wrap(text("only mine")));
            upload.commit();
        }
        assertEquals(0600, storage.stat(path("/private")).permissions().orElseThrow());
        storage.setPermissions(path("/private"), 0644);
        try (Upload upload = storage.openWrite(path("/private"), WriteMode.REPLACE, OptionalInt.of(0640))) {
            writeFully(upload.stream(), ByteBuffer.wrap(text("replaced")));
            upload.commit();
        }
        assertEquals(0640, storage.stat(path("/private")).permissions().orElseThrow());
        assertArrayEquals(text("replaced"), read("/private"));
    }

    @Test
    void aLinkThatStaysInsideTheScopeWorksAsItsTarget() throws Exception {
        jailLayout();
        assumeTrue(makeLink(path("/jail/rel"), "data/f.txt"), "no symbolic links on this backend");
        makeLink(path("/jail/dirlink"), "data/sub");
        makeLink(path("/jail/abs"), absoluteTarget(path("/jail/data/f.txt")));
        makeLink(path("/jail/c1"), "c2");
        makeLink(path("/jail/c2"), "data/f.txt");
        makeLink(path("/jail/data/sub/back"), "../f.txt");
        makeLink(path("/jail/dotdot"), "data/sub/../f.txt");
        Storage view = storage.scoped(path("/jail"));
        for (String link : List.of("/rel", "/abs", "/c1", "/dotdot", "/dirlink/back")) {
            assertArrayEquals(text("inside"), read(view, link), link);
            FileInfo info = view.stat(path(link));
            assertTrue(info.isFile(), link);
            assertEquals(6, info.size(), link);
        }
        assertTrue(view.stat(path("/dirlink")).isDirectory());
        assertEquals(Set.of("g.txt", "back"), names(view, path("/dirlink")));
        assertArrayEquals(text("below"), read(view, "/dirlink/g.txt"));
        Map<String, FileInfo> top = entries(view, ROOT);
        assertTrue(top.get("rel").isFile() && top.get("rel").size() == 6, top.toString());
        assertTrue(top.get("dirlink").isDirectory(), top.toString());
        assertEquals(path("/data/f.txt"), view.canonical(path("/c1")));
        assertEquals(path("/data/sub/new"), view.canonical(path("/dirlink/new")));
        write(view, "/dirlink/through.txt", text("through a link"));
        assertArrayEquals(text("through a link"), read("/jail/data/sub/through.txt"));
    }

    @Test
    void aLinkThatLeavesTheScopeIsAsIfAbsent() throws Exception {
        jailLayout();
        assumeTrue(makeLink(path("/jail/out"), "../secret.txt"), "no symbolic links on this backend");
        makeLink(path("/jail/outdir"), "../secretdir");
        makeLink(path("/jail/absout"), absoluteTarget(path("/secretdir")));
        makeLink(path("/jail/absfile"), absoluteTarget(path("/secret.txt")));
        makeLink(path("/jail/chain"), "out");
        makeLink(path("/jail/data/updots"), "../../secret.txt");
        makeLink(path("/jail/data/sub/deep"), "../../../secretdir");
        // outside any view the same links lead somewhere inside the storage, and work there
        assertArrayEquals(text("secret"), read("/jail/out"));

        Storage view = storage.scoped(path("/jail"));
        assertEquals(Set.of("data"), names(view, ROOT));
        assertEquals(Set.of("f.txt", "sub"), names(view, path("/data")));
        for (String file : List.of("/out", "/absfile", "/chain", "/data/updots", "/outdir/s.txt", "/absout/s.txt",
                "/data/sub/deep/s.txt")) {
            assertThrows(StorageException.NotFound.class, () -> view.stat(path(file)), file);
            assertThrows(StorageException.NotFound.class, () -> view.openRead(path(file), 0), file);
            assertRefused(() -> view.canonical(path(file)), file);
            assertRefused(() -> write(view, file, text("overwritten")), file);
            assertRefused(() -> view.delete(path(file)), file);
            assertRefused(() -> view.rename(path(file), path("/stolen")), file);
            if (has(Capability.SET_MODIFIED)) {
                assertRefused(() -> view.setModified(path(file), Instant.parse("2001-01-01T00:00:00Z")), file);
            }
            if (has(Capability.POSIX_ATTRIBUTES)) {
                assertRefused(() -> view.setPermissions(path(file), 0777), file);
            }
        }
        // names may name the links out (NLST does, as vsftpd does), and never more than the entries there
        Set<String> named = nameSet(view, ROOT);
        assertTrue(named.contains("data"), named.toString());
        assertTrue(Set.of("data", "out", "outdir", "absout", "absfile", "chain").containsAll(named), named.toString());
        for (String dir : List.of("/outdir", "/absout", "/data/sub/deep")) {
            assertThrows(StorageException.NotFound.class, () -> view.list(path(dir)), dir);
            assertThrows(StorageException.NotFound.class, () -> view.names(path(dir)), dir);
            assertRefused(() -> write(view, dir + "/planted.txt", text("planted")), dir);
            assertRefused(() -> view.createDirectory(path(dir + "/planted")), dir);
            assertRefused(() -> view.rename(path("/data/f.txt"), path(dir + "/f.txt")), dir);
            assertRefused(() -> view.deleteDirectory(path(dir)), dir);
        }
        assertThrows(StorageException.NotFound.class, () -> view.stat(path("/stolen")));
        assertArrayEquals(text("inside"), read(view, "/data/f.txt"));
        assertArrayEquals(text("secret"), read("/secret.txt"));
        assertEquals(Set.of("s.txt"), names(path("/secretdir")));
        assertArrayEquals(text("outside"), read("/secretdir/s.txt"));
        if (has(Capability.POSIX_ATTRIBUTES)) {
            assertEquals(0640, storage.stat(path("/secret.txt")).permissions().orElseThrow());
        }
    }

    /** /jail/data/{f.txt,sub/g.txt} inside, /secret.txt and /secretdir/s.txt outside the jail. */
    private void jailLayout() throws Exception {
        storage.createDirectory(path("/jail"));
        storage.createDirectory(path("/jail/data"));
        storage.createDirectory(path("/jail/data/sub"));
        storage.createDirectory(path("/secretdir"));
        write("/jail/data/f.txt", text("inside"));
        write("/jail/data/sub/g.txt", text("below"));
        write("/secret.txt", text("secret"));
        write("/secretdir/s.txt", text("outside"));
        if (has(Capability.POSIX_ATTRIBUTES)) {
            storage.setPermissions(path("/secret.txt"), 0640);
        }
    }

    /** A jail refusal: the client reads 550 either way (as if absent, or permission denied). */
    private static void assertRefused(org.junit.jupiter.api.function.Executable action, String what) {
        StorageException e = assertThrows(StorageException.class, action, what);
        assertTrue(e instanceof StorageException.NotFound || e instanceof StorageException.AccessDenied,
                what + ": " + e);
    }

    // ---- helpers for subclasses ----

    protected static StoragePath path(String text) {
        return StoragePath.parse(text);
    }

    protected boolean has(Capability capability) {
        return storage.capabilities().contains(capability);
    }

    /** Uploads {@code data} to {@code path} with Replace and commits; returns what commit returned. */
    protected long write(String path, byte[] data) throws StorageException, IOException {
        return write(path, data, WriteMode.REPLACE);
    }

    protected long write(String path, byte[] data, WriteMode mode) throws StorageException, IOException {
        return write(storage, path, data, mode);
    }

    protected static long write(Storage target, String path, byte[] data) throws StorageException, IOException {
        return write(target, path, data, WriteMode.REPLACE);
    }

    private static long write(Storage target, String path, byte[] data, WriteMode mode)
            throws StorageException, IOException {
        try (Upload upload = target.openWrite(path(path), mode)) {
            writeFully(upload.stream(), ByteBuffer.wrap(data));
            return upload.commit();
        }
    }

    protected byte[] read(String path) throws StorageException, IOException {
        return read(path, 0);
    }

    protected byte[] read(String path, long offset) throws StorageException, IOException {
        return read(storage, path, offset);
    }

    protected static byte[] read(Storage source, String path) throws StorageException, IOException {
        return read(source, path, 0);
    }

    private static byte[] read(Storage source, String path, long offset) throws StorageException, IOException {
        try (ReadableByteChannel in = source.openRead(path(path), offset)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (in.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toByteArray();
        }
    }

    protected Set<String> names(StoragePath dir) throws StorageException {
        return entries(dir).keySet();
    }

    protected static Set<String> names(Storage source, StoragePath dir) throws StorageException {
        return entries(source, dir).keySet();
    }

    protected Map<String, FileInfo> entries(StoragePath dir) throws StorageException {
        return entries(storage, dir);
    }

    /** What {@link Storage#names} gives for {@code dir}, each name once. */
    protected static Set<String> nameSet(Storage source, StoragePath dir) throws StorageException {
        Set<String> result = new HashSet<>();
        try (NameListing names = source.names(dir)) {
            for (String name : names) {
                assertTrue(result.add(name), "named twice: " + name);
            }
        }
        return result;
    }

    protected static Map<String, FileInfo> entries(Storage source, StoragePath dir) throws StorageException {
        Map<String, FileInfo> result = new HashMap<>();
        try (Listing listing = source.list(dir)) {
            for (FileInfo info : listing) {
                FileInfo previous = result.put(info.name(), info);
                assertEquals(null, previous, "listed twice: " + info.name());
                assertEquals(dir, info.path().parent(), "entry path " + info.path());
            }
        }
        return result;
    }

    protected static void writeFully(WritableByteChannel out, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            out.write(data);
        }
    }

    protected static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Deterministic pseudo-random bytes. */
    protected static byte[] bytes(int length) {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        return data;
    }

    private static byte[] content(String name) {
        return text(name + "\n" + "x".repeat(name.length() * 37));
    }

    protected static String sha256(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertSaneTime(Instant time) {
        assertTrue(time.isAfter(Instant.parse("1990-01-01T00:00:00Z")), "not a sane time: " + time);
        assertTrue(time.isBefore(Instant.now().plus(Duration.ofDays(1))), "in the future: " + time);
    }
}
