package dev.ferry.storage.s3;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/** RNFR/RNTO: a server-side copy and a delete per key; S3 has no rename. */
final class S3Renames {

    private final S3Client s3;
    private final String bucket;
    private final Keys keys;
    private final boolean renameDirectories;
    private final Copier copier;
    private final StatCache cache;
    private final S3Lookup lookup;

    S3Renames(S3Client s3, S3Config config, Keys keys, Copier copier, StatCache cache, S3Lookup lookup) {
        this.s3 = s3;
        this.bucket = config.bucket();
        this.keys = keys;
        this.renameDirectories = config.renameDirectories();
        this.copier = copier;
        this.cache = cache;
        this.lookup = lookup;
    }

    void rename(StoragePath from, StoragePath to) throws StorageException {
        if (from.isRoot() || to.isRoot()) {
            throw new StorageException.AccessDenied(from, "the root cannot be renamed or replaced");
        }
        FileInfo source = lookup.stat(from);
        Optional<FileInfo> target = lookup.find(to);
        if (source.isDirectory()) {
            renameDirectory(from, to, target);
            return;
        }
        if (target.isPresent() && target.get().isDirectory()) {
            throw new StorageException.IsADirectory(to);
        }
        if (target.isEmpty()) {
            lookup.requireParent(to);
        }
        if (from.equals(to)) {
            return;
        }
        try {
            copier.copy(keys.file(from), keys.file(to), source.size());
            s3.deleteObject(b -> b.bucket(bucket).key(keys.file(from)));
        } catch (SdkException e) {
            throw S3Errors.map(from, e);
        } finally {
            cache.invalidate(from);
            cache.invalidate(to);
        }
    }

    /**
     * Copies every key under the prefix, then deletes the originals. Not atomic: a crash midway
     * leaves both trees (partly), and a reader may see either. Off unless s3_rename_directories=YES.
     */
    private void renameDirectory(StoragePath from, StoragePath to, Optional<FileInfo> target) throws StorageException {
        if (!renameDirectories) {
            throw new StorageException.Unsupported("rename of a directory (S3 has no directories: it would copy"
                    + " every object below it, which is not atomic; set s3_rename_directories=YES to allow it)");
        }
        if (target.isPresent()) {
            throw new StorageException.AlreadyExists(to);
        }
        if (from.contains(to)) {
            throw new StorageException.InvalidName(to, "a directory cannot move into itself");
        }
        lookup.requireParent(to);
        String fromPrefix = keys.directory(from);
        String toPrefix = keys.directory(to);
        try {
            new DirectoryMove(s3, bucket, copier).move(fromPrefix, toPrefix);
        } catch (SdkException e) {
            throw S3Errors.map(from, e);
        } finally {
            cache.invalidateAll();
        }
    }
}
