package dev.ferry.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** anon_root and user homes are file system paths that must lie inside local_storage_root. */
class ConfiguredPathTest {

    @TempDir
    Path base;

    private Path root;
    private LocalStorage storage;

    @BeforeEach
    void open() throws Exception {
        root = Files.createDirectories(base.resolve("srv/ftp"));
        Files.createDirectories(root.resolve("pub"));
        storage = new LocalStorage(root);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void anAbsolutePathInsideTheRootBecomesAStoragePath() throws Exception {
        assertEquals(StoragePath.parse("/pub"), storage.configuredPath(root.resolve("pub").toString()));
        assertEquals(StoragePath.ROOT, storage.configuredPath(root.toString()));
        assertEquals(StoragePath.ROOT, storage.configuredPath(root + "/"));
    }

    @Test
    void aDirectoryNotYetCreatedIsAccepted() throws Exception {
        assertEquals(StoragePath.parse("/home/alice"), storage.configuredPath(root.resolve("home/alice").toString()));
    }

    @Test
    void aRelativePathIsReadFromTheWorkingDirectory() throws Exception {
        Path working = Path.of("").toAbsolutePath();
        String relative = working.relativize(root.resolve("pub").toRealPath()).toString();
        assertEquals(StoragePath.parse("/pub"), storage.configuredPath(relative));
    }

    @Test
    void aPathOutsideTheRootIsRefusedWithBothPathsInTheMessage() {
        StorageException e = assertThrows(StorageException.class,
                () -> storage.configuredPath(base.resolve("srv/other").toString()));
        assertTrue(e.getMessage().contains("outside local_storage_root"), e.getMessage());
        assertTrue(e.getMessage().contains(root.toString()), e.getMessage());
    }

    @Test
    void dotDotCannotLeaveTheRoot() {
        assertThrows(StorageException.class, () -> storage.configuredPath(root + "/pub/../../other"));
        assertThrows(StorageException.class, () -> storage.configuredPath(root + "/.."));
    }

    @Test
    void aSiblingWithTheRootAsNamePrefixIsOutside() throws Exception {
        Files.createDirectories(base.resolve("srv/ftp2"));
        assertThrows(StorageException.class, () -> storage.configuredPath(base.resolve("srv/ftp2").toString()));
    }

    @Test
    void aLinkInsideTheRootLeadingOutsideIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("escape"), base);
        assertThrows(StorageException.class, () -> storage.configuredPath(root.resolve("escape").toString()));
    }

    @Test
    void aLinkOutsideTheRootLeadingInsideIsAccepted() throws Exception {
        Path alias = Files.createSymbolicLink(base.resolve("pub-alias"), root.resolve("pub"));
        assertEquals(StoragePath.parse("/pub"), storage.configuredPath(alias.toString()));
    }
}
