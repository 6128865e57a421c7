package dev.ferry.storage.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StorageProvider;
import dev.ferry.storage.StoragePath;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.vfs2.impl.StandardFileSystemManager;
import org.junit.jupiter.api.Test;

/** The provider: found by ServiceLoader, settings validated, secrets kept out of messages. */
class VfsStorageProviderTest {

    private static StorageProvider provider() {
        return StorageProvider.installed().stream().filter(p -> p.name().equals("vfs")).findFirst().orElseThrow();
    }

    /** Settings as the server passes them: every declared one, with its default unless given. */
    private static StorageProvider.Settings settings(Map<String, String> given) {
        Map<String, String> values = new HashMap<>();
        for (StorageProvider.Setting setting : provider().settings()) {
            values.put(setting.name(), setting.defaultValue());
        }
        values.putAll(given);
        return new StorageProvider.Settings() {
            @Override
            public String string(String name) {
                return values.get(name);
            }

            @Override
            public boolean bool(String name) {
                return values.get(name).equalsIgnoreCase("YES");
            }

            @Override
            public long integer(String name) {
                return Long.parseLong(values.get(name));
            }
        };
    }

    @Test
    void everySettingIsPrefixedAndDocumented() {
        for (StorageProvider.Setting setting : provider().settings()) {
            assertTrue(setting.name().startsWith("vfs_"), setting.name());
            assertFalse(setting.help().isBlank(), setting.name());
        }
    }

    /** What README lists as bundled: each scheme's provider finds its optional classes on the class path. */
    @Test
    void theDocumentedProvidersAreBundled() throws Exception {
        StandardFileSystemManager manager = new StandardFileSystemManager();
        try {
            manager.init();
            for (String scheme : new String[] {"sftp", "ftp", "ftps", "webdav4", "webdav4s", "file", "ram", "zip",
                    "jar", "tar", "tgz", "tbz2", "http4", "http4s"}) {
                assertTrue(manager.hasProvider(scheme), scheme);
            }
        } finally {
            manager.close();
        }
    }

    @Test
    void opensARamRoot() throws Exception {
        try (Storage storage = provider().open(settings(Map.of("vfs_root", "ram://")))) {
            assertTrue(storage.stat(StoragePath.ROOT).isDirectory());
        }
    }

    @Test
    void aMissingRootSaysWhatToSet() {
        StorageException e = assertThrows(StorageException.Failed.class, () -> provider().open(settings(Map.of())));
        assertTrue(e.getMessage().contains("vfs_root"), e.getMessage());
    }

    @Test
    void durationsTakeUnits() throws Exception {
        VfsConfig config = VfsStorageProvider.config(settings(Map.of("vfs_root", "ram://", "vfs_cache_ttl", "500ms",
                "vfs_connect_timeout", "3", "vfs_timeout", "2m")));
        assertEquals(Duration.ofMillis(500), config.cacheTtl());
        assertEquals(Duration.ofSeconds(3), config.connectTimeout());
        assertEquals(Duration.ofMinutes(2), config.timeout());
        StorageException bad = assertThrows(StorageException.Failed.class, () -> VfsStorageProvider.config(
                settings(Map.of("vfs_root", "ram://", "vfs_timeout", "soon"))));
        assertTrue(bad.getMessage().contains("vfs_timeout"), bad.getMessage());
        assertThrows(StorageException.Failed.class, () -> VfsStorageProvider.config(
                settings(Map.of("vfs_root", "ram://", "vfs_connect_timeout", "0"))));
    }

    @Test
    void sftpConnectionsDefaultToEightAndMustBePositive() throws Exception {
        assertEquals(8, VfsStorageProvider.config(settings(Map.of("vfs_root", "ram://"))).sftpConnections());
        assertEquals(12, VfsStorageProvider.config(settings(Map.of("vfs_root", "ram://",
                "vfs_sftp_connections", "12"))).sftpConnections());
        StorageException zero = assertThrows(StorageException.Failed.class, () -> VfsStorageProvider.config(
                settings(Map.of("vfs_root", "ram://", "vfs_sftp_connections", "0"))));
        assertTrue(zero.getMessage().contains("vfs_sftp_connections"), zero.getMessage());
    }

    @Test
    void passwordsNeverShowInTheConfigOrInErrors() throws Exception {
        VfsConfig config = VfsStorageProvider.config(settings(Map.of("vfs_root", "sftp://u:urisecret@127.0.0.1:1/x",
                "vfs_password", "settingsecret", "vfs_connect_timeout", "1s")));
        assertFalse(config.toString().contains("urisecret") || config.toString().contains("settingsecret"), config.toString());
        StorageException e = assertThrows(StorageException.Failed.class, () -> new VfsStorage(config).close());
        assertFalse(e.getMessage().contains("urisecret") || e.getMessage().contains("settingsecret"), e.getMessage());
        assertEquals("sftp://u:***@h/p", Uris.redact("sftp://u:pw@h/p"));
    }
}
