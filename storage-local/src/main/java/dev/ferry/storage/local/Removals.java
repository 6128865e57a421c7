package dev.ferry.storage.local;

import static dev.ferry.storage.local.EntryChecks.existing;
import static dev.ferry.storage.local.EntryChecks.shows;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;

/** DELE and RMD through the descriptor of the directory the walk ended in. */
final class Removals {

    private Removals() {
    }

    /** DELE: a file, or a link that does not show a directory. */
    static void delete(Walk walk, StoragePath file) throws StorageException {
        try {
            Entry entry = walk.resolve(file, false, false);
            existing(file, entry);
            if (entry.isLink()) {
                // a link to a directory counts as the directory it shows; a link to a file (or to
                // nothing, inside the jail) is removed itself; one leading outside is as if absent
                if (shows(walk, file, entry).isDirectory()) {
                    throw new StorageException.IsADirectory(file);
                }
            } else if (entry.isDirectory()) {
                throw new StorageException.IsADirectory(file);
            } else if (!entry.isRegularFile()) {
                throw new StorageException.AccessDenied(file, "not a regular file");
            }
            entry.dir().stream().deleteFile(entry.name());
        } catch (IOException e) {
            throw IoErrors.map(file, e);
        }
    }

    /** RMD: an empty directory, never a link to one. */
    static void deleteDirectory(Walk walk, StoragePath dir) throws StorageException {
        try {
            Entry entry = walk.resolve(dir, false, false);
            existing(dir, entry);
            if (entry.isLink()) {
                shows(walk, dir, entry);
                throw new StorageException.AccessDenied(dir, "a symbolic link; remove it on the server");
            }
            if (!entry.isDirectory()) {
                throw new StorageException.NotADirectory(dir);
            }
            entry.dir().stream().deleteDirectory(entry.name());
        } catch (IOException e) {
            throw IoErrors.map(dir, e);
        }
    }
}
