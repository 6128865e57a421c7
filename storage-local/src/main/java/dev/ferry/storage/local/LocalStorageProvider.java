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
    static final String FSYNC_SETTING = "local_upload_fsync";

    private static final List<Setting> SETTINGS = List.of(new Setting(ROOT_SETTING, Setting.Kind.PATH, "/",
            "The directory the local backend serves; every anon_root and user home is inside it."
                    + " Relative paths are read from the working directory."),
            new Setting(FSYNC_SETTING, Setting.Kind.BOOLEAN, "YES",
                    "An upload's commit forces its temp file to disk (fsync) before the rename that publishes it,"
                            + " and the directory after it, before the 226. YES: once a client has read 226 the file"
                            + " survives a power cut or kernel crash; each upload waits for the disk (milliseconds"
                            + " per file, most of a small file's time; a big upload has its written part forced every 16 MiB"
                            + " while it goes on, so the final wait is for the tail only). NO: as vsftpd and pure-ftpd, which never"
                            + " fsync: a power cut or kernel crash within the kernel's writeback delay (about 30 s)"
                            + " can leave a file the client was told is stored empty, short or missing (depending on"
                            + " the file system; ext4 flushes a replaced file at the rename). The rename stays in"
                            + " both cases, so a crash of Ferry itself or a broken upload never publishes a part"
                            + " file. Ferry's default is the safer one."));

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
            return new LocalStorage(Path.of(root), settings.bool(FSYNC_SETTING));
        } catch (InvalidPathException e) {
            throw new StorageException.Failed(dev.ferry.storage.StoragePath.ROOT,
                    ROOT_SETTING + "=" + root + " is not a valid path: " + e.getMessage(), e);
        }
    }
}
