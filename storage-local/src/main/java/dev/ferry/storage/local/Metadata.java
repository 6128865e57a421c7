package dev.ferry.storage.local;

import static dev.ferry.storage.local.EntryChecks.existing;
import static dev.ferry.storage.local.EntryChecks.info;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Instant;

/** MFMT and SITE CHMOD: attributes set on the entry itself, never through a link. */
final class Metadata {

    private Metadata() {
    }

    /** MFMT: sets the time on the entry's own descriptor. */
    static void setModified(Walk walk, StoragePath path, Instant time) throws StorageException {
        try {
            Entry entry = walk.resolve(path, true, false);
            info(path, existing(path, entry));
            // opens the entry (O_RDONLY|O_NOFOLLOW) and sets the time on that descriptor
            view(entry, BasicFileAttributeView.class).setTimes(FileTime.from(time), null, null);
        } catch (IOException e) {
            throw IoErrors.map(path, e);
        }
    }

    /** SITE CHMOD; the caller has checked that the file system is POSIX and the mode only 0777 bits. */
    static void setPermissions(Walk walk, StoragePath path, int mode) throws StorageException {
        try {
            Entry entry = walk.resolve(path, true, false);
            info(path, existing(path, entry));
            view(entry, PosixFileAttributeView.class).setPermissions(Attributes.permissions(mode));
        } catch (IOException e) {
            throw IoErrors.map(path, e);
        }
    }

    private static <V extends FileAttributeView> V view(Entry entry, Class<V> type) {
        return entry.isRoot()
                ? entry.dir().stream().getFileAttributeView(type)
                : entry.dir().stream().getFileAttributeView(entry.name(), type, LinkOption.NOFOLLOW_LINKS);
    }
}
