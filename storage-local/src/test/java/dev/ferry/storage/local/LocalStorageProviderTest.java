package dev.ferry.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.StorageProvider;
import dev.ferry.storage.StorageProvider.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageProviderTest {

    @TempDir
    Path root;

    @Test
    void isFoundByServiceLoaderUnderTheNameLocal() {
        List<StorageProvider> local = StorageProvider.installed().stream().filter(p -> p.name().equals("local")).toList();
        assertEquals(1, local.size());
        assertTrue(local.getFirst() instanceof LocalStorageProvider);
    }

    @Test
    void declaresTheRootAndFsyncSettings() {
        List<Setting> settings = new LocalStorageProvider().settings();
        assertEquals(new Setting("local_storage_root", Setting.Kind.PATH, "/",
                "The directory the local backend serves; every anon_root and user home is inside it."
                        + " Relative paths are read from the working directory."), settings.getFirst());
        assertEquals(2, settings.size());
        assertEquals("local_upload_fsync", settings.get(1).name());
        assertEquals(Setting.Kind.BOOLEAN, settings.get(1).kind());
        assertEquals("YES", settings.get(1).defaultValue());
    }

    @Test
    void opensTheConfiguredRoot() throws Exception {
        Files.writeString(root.resolve("hello.txt"), "hi");
        try (Storage storage = new LocalStorageProvider().open(settings(root.toString()))) {
            assertEquals(2, storage.stat(StoragePath.parse("/hello.txt")).size());
        }
    }

    @Test
    void aMissingRootFailsWithAMessageNamingIt() {
        StorageException e = assertThrows(StorageException.class,
                () -> new LocalStorageProvider().open(settings(root.resolve("missing").toString())));
        assertTrue(e.getMessage().contains("local_storage_root"), e.getMessage());
        assertTrue(e.getMessage().contains(root.resolve("missing").toString()), e.getMessage());
    }

    private static StorageProvider.Settings settings(String rootValue) {
        Map<String, String> values = Map.of("local_storage_root", rootValue);
        return new StorageProvider.Settings() {
            @Override
            public String string(String name) {
                return values.get(name);
            }

            @Override
            public boolean bool(String name) {
                if (name.equals("local_upload_fsync")) {
                    return true;
                }
                throw new IllegalArgumentException(name);
            }

            @Override
            public long integer(String name) {
                throw new IllegalArgumentException(name);
            }
        };
    }
}
