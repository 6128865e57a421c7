package dev.ferry.storage.local;

import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StorageProvider;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/** The {@code local} backend: files on a local (or mounted) file system. */
public final class LocalStorageProvider implements StorageProvider {

    static final String ROOT_SETTING = "local_storage_root";

    private static final List<Setting> SETTINGS = List.of(new Setting(ROOT_SETTING, Setting.Kind.PATH, "/",
            "The directory the local backend serves; every anon_root and user home is inside it."
                    + " Relative paths are read from the working directory."));

    @Override
    public String name() {
        return "local";
    }

    @Override
    public List<Setting> settings() {
        return SETTINGS;
    }

    @Override
    public Storage open(Settings settings) throws StorageException {
        String root = settings.string(ROOT_SETTING);
        try {
            return new LocalStorage(Path.of(root));
        } catch (InvalidPathException e) {
            throw new StorageException.Failed(dev.ferry.storage.StoragePath.ROOT,
                    ROOT_SETTING + "=" + root + " is not a valid path: " + e.getMessage(), e);
        }
    }
}
