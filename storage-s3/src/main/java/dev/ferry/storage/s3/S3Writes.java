package dev.ferry.storage.s3;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** Uploads: checks the target, works out what Append and ResumeAt keep, and starts a {@link PartUpload}. */
final class S3Writes {

    private final S3Client s3;
    private final String bucket;
    private final Keys keys;
    private final S3Config config;
    private final WriteOptions writeOptions;
    private final LiveUploads live;
    private final StatCache cache;
    private final S3Lookup lookup;

    S3Writes(S3Client s3, S3Config config, Keys keys, WriteOptions writeOptions, LiveUploads live, StatCache cache,
             S3Lookup lookup) {
        this.s3 = s3;
        this.bucket = config.bucket();
        this.keys = keys;
        this.config = config;
        this.writeOptions = writeOptions;
        this.live = live;
        this.cache = cache;
        this.lookup = lookup;
    }

    Upload openWrite(StoragePath path, WriteMode mode) throws StorageException {
        if (path.isRoot()) {
            throw new StorageException.IsADirectory(path);
        }
        Optional<FileInfo> existing = lookup.find(path);
        if (existing.isPresent() && existing.get().isDirectory()) {
            throw new StorageException.IsADirectory(path);
        }
        if (existing.isEmpty()) {
            lookup.requireParent(path);
        }
        long kept = mode.bytesToKeep(path,
                existing.map(info -> OptionalLong.of(info.size())).orElse(OptionalLong.empty()));
        Resume resume = kept == 0 ? Resume.NOTHING : keep(path, kept);
        return new PartUpload(s3, bucket, keys.file(path), path, writeOptions, config.partSize(),
                config.uploadConcurrency(), resume, mode instanceof WriteMode.CreateNew && config.conditionalWrites(),
                config.retries().attempts(), live, () -> cache.stored(path));
    }

    /**
     * How to keep the first {@code length} bytes of the object: a server-side copy from 5 MiB on,
     * else read back (S3 refuses a smaller copy part unless it is the last). Both are pinned to the
     * ETag seen now, so an overwrite in between fails the resume rather than mixing two versions.
     */
    private Resume keep(StoragePath path, long length) throws StorageException {
        if (length == 0) {
            return Resume.NOTHING;
        }
        String key = keys.file(path);
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            if (head.contentLength() < length) {
                throw new StorageException.Failed(path, "Cannot resume " + path + " at " + length
                        + ": it holds only " + head.contentLength() + " bytes", null);
            }
            if (length >= S3Config.MIN_PART_SIZE) {
                return new Resume.Copy(head.eTag(), length, head.contentLength());
            }
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).ifMatch(head.eTag())
                    .range("bytes=0-" + (length - 1))).asByteArray();
            if (bytes.length != length) {
                throw new StorageException.Failed(path, "S3 returned " + bytes.length + " of the first " + length
                        + " bytes of " + path, null);
            }
            return new Resume.Reread(bytes);
        } catch (SdkException e) {
            throw S3Errors.map(path, e);
        }
    }
}
