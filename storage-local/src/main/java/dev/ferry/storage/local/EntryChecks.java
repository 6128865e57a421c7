package dev.ferry.storage.local;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.nio.file.attribute.BasicFileAttributes;

/** What the operations ask of the entry a walk resolved: does it exist, what is it, what does a link show. */
final class EntryChecks {

    private EntryChecks() {
    }

    /** The entry's attributes; NotFound when there is none. */
    static BasicFileAttributes existing(StoragePath path, Entry entry) throws StorageException {
        if (!entry.exists()) {
            throw new StorageException.NotFound(path);
        }
        return entry.attributes();
    }

    static FileInfo info(StoragePath path, BasicFileAttributes attributes) throws StorageException {
        return Attributes.info(path, attributes)
                .orElseThrow(() -> new StorageException.AccessDenied(path, "not a regular file or directory"));
    }

    /** What a link entry shows; NotFound when it leads outside the jail. */
    static BasicFileAttributes shows(Walk walk, StoragePath path, Entry link) throws StorageException {
        try (Walk fork = walk.fork()) {
            Entry target = fork.follow(path, link.name(), false);
            return target.exists() ? target.attributes() : link.attributes();
        }
    }
}
