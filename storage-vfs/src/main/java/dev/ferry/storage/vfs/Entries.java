package dev.ferry.storage.vfs;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;
import org.apache.commons.vfs2.FileType;

/** Reads a file object's type, size and time into a {@link FileInfo}. */
final class Entries {

    private final boolean hasTimes;
    private final Instant fallbackTime;

    /**
     * @param hasTimes     the provider declares GET_LAST_MODIFIED
     * @param fallbackTime the time for entries without one: archive folders that exist only as a
     *                     prefix of their files, providers without GET_LAST_MODIFIED. A stable time
     *                     (when the storage was opened), never the epoch a 0 would give.
     */
    Entries(boolean hasTimes, Instant fallbackTime) {
        this.hasTimes = hasTimes;
        this.fallbackTime = fallbackTime.truncatedTo(ChronoUnit.SECONDS);
    }

    /** The entry, or NotFound when the object is imaginary (does not exist). */
    FileInfo read(StoragePath path, FileObject file) throws StorageException {
        try {
            FileType type = file.getType();
            if (type == FileType.IMAGINARY) {
                throw new StorageException.NotFound(path);
            }
            if (type == FileType.FOLDER) {
                return FileInfo.directory(path, modified(file));
            }
            return FileInfo.file(path, file.getContent().getSize(), modified(file));
        } catch (FileSystemException e) {
            throw VfsErrors.map(path, e);
        }
    }

    /** The file at {@code path}, or null when there is none. */
    FileInfo existing(StoragePath path, FileObject file) throws StorageException {
        try {
            return read(path, file);
        } catch (StorageException.NotFound e) {
            return null;
        }
    }

    /** The folder object at {@code dir}: NotFound when missing, NotADirectory when a file. */
    FileObject folder(StoragePath dir, FileObject folder) throws StorageException {
        FileInfo info = existing(dir, folder);
        if (info == null) {
            throw new StorageException.NotFound(dir);
        }
        if (!info.isDirectory()) {
            throw new StorageException.NotADirectory(dir);
        }
        return folder;
    }

    /** An entry from attributes read without VFS (an SFTP listing's). */
    FileInfo of(StoragePath path, boolean directory, long size, long modifiedMillis) {
        Instant modified = hasTimes && modifiedMillis > 0 ? Instant.ofEpochMilli(modifiedMillis) : fallbackTime;
        return directory ? FileInfo.directory(path, modified) : FileInfo.file(path, size, modified);
    }

    /** The same entry under another name: a view's, or a link's for what its target is. */
    static FileInfo at(FileInfo info, StoragePath path) {
        return info.at(path);
    }

    private Instant modified(FileObject file) {
        if (!hasTimes) {
            return fallbackTime;
        }
        try {
            long millis = file.getContent().getLastModifiedTime();
            return millis > 0 ? Instant.ofEpochMilli(millis) : fallbackTime;
        } catch (FileSystemException e) {
            // some providers have no time for folders (zip entries that are only a prefix)
            return fallbackTime;
        }
    }
}
