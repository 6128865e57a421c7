package dev.ferry.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The temp file of an upload has the committed file's mode from the moment it exists. */
class UploadModeTest {

    @TempDir
    Path root;

    private LocalStorage storage;

    @BeforeEach
    void open() throws Exception {
        storage = new LocalStorage(root);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void aPrivateUploadIsPrivateWhileItIsWritten() throws Exception {
        try (Upload upload = storage.openWrite(StoragePath.parse("/private"), WriteMode.REPLACE, OptionalInt.of(0600))) {
            assertEquals("rw-------", modeOf(temp()));
            upload.stream().write(ByteBuffer.wrap(bytes("only mine")));
            assertEquals("rw-------", modeOf(temp()));
            upload.commit();
        }
        assertEquals("rw-------", modeOf(root.resolve("private")));
    }

    @Test
    void aReplacedPrivateFileStaysPrivateWhileItsSuccessorIsWritten() throws Exception {
        Files.writeString(root.resolve("private"), "v1");
        Files.setPosixFilePermissions(root.resolve("private"), PosixFilePermissions.fromString("rw-------"));
        try (Upload upload = storage.openWrite(StoragePath.parse("/private"), WriteMode.REPLACE)) {
            assertEquals("rw-------", modeOf(temp()));
            upload.commit();
        }
        assertEquals("rw-------", modeOf(root.resolve("private")));
    }

    @Test
    void theGivenModeIsExactWhateverTheUmask() throws Exception {
        // the process umask (022 on most machines) would take group and other write from 0666
        try (Upload upload = storage.openWrite(StoragePath.parse("/shared"), WriteMode.REPLACE, OptionalInt.of(0666))) {
            assertEquals("rw-rw-rw-", modeOf(temp()));
            upload.commit();
        }
        assertEquals("rw-rw-rw-", modeOf(root.resolve("shared")));
    }

    @Test
    void theGivenModeWinsOverTheReplacedFilesMode() throws Exception {
        Files.writeString(root.resolve("f"), "v1");
        Files.setPosixFilePermissions(root.resolve("f"), PosixFilePermissions.fromString("rw-r--r--"));
        try (Upload upload = storage.openWrite(StoragePath.parse("/f"), WriteMode.APPEND, OptionalInt.of(0640))) {
            assertEquals("rw-r-----", modeOf(temp()));
            upload.stream().write(ByteBuffer.wrap(bytes(",v2")));
            upload.commit();
        }
        assertEquals("rw-r-----", modeOf(root.resolve("f")));
        assertEquals("v1,v2", Files.readString(root.resolve("f")));
    }

    @Test
    void anExclusiveUploadGetsItsMode() throws Exception {
        try (Upload upload = storage.openWrite(StoragePath.parse("/unique"), WriteMode.CREATE_NEW, OptionalInt.of(0604))) {
            upload.stream().write(ByteBuffer.wrap(bytes("new")));
            upload.commit();
        }
        assertEquals("rw----r--", modeOf(root.resolve("unique")));
        assertEquals("new", Files.readString(root.resolve("unique")));
    }

    @Test
    void aTempFileIsCreatedWithTheModeNotChangedToItAfterwards() throws Exception {
        StorageRoot jail = StorageRoot.open(root.toRealPath(), new Attributes(true));
        TempFiles tempFiles = new TempFiles();
        try (Walk walk = jail.open(StoragePath.ROOT)) {
            TempFiles.Opened temp = tempFiles.create(walk.detachHere(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            temp.channel().close();
            assertEquals("rw-------", modeOf(root.resolve(temp.name())));
        } finally {
            jail.close();
        }
    }

    @Test
    @Timeout(30)
    void noOneSeesAPrivateUploadWithWiderPermissions() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicLong looks = new AtomicLong();
        Thread observer = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                try (Stream<Path> files = Files.list(root)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        if (TempFiles.isTempName(file.getFileName().toString())) {
                            seen.add(modeOf(file));
                            looks.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    // a temp file gone between listing and stat
                }
            }
        });
        long deadline = System.nanoTime() + 2_000_000_000L;
        try {
            for (int i = 0; i < 2_000 && System.nanoTime() < deadline; i++) {
                storage.openWrite(StoragePath.parse("/f" + i % 8), WriteMode.REPLACE, OptionalInt.of(0600)).close();
            }
        } finally {
            done.set(true);
            observer.join();
        }
        assertTrue(looks.get() > 0, "the observer never saw a temp file");
        assertEquals(Set.of("rw-------"), seen);
    }

    private Path temp() throws IOException {
        try (Stream<Path> files = Files.list(root)) {
            List<Path> temps = files.filter(p -> TempFiles.isTempName(p.getFileName().toString())).toList();
            assertEquals(1, temps.size(), temps.toString());
            return temps.getFirst();
        }
    }

    private static String modeOf(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
