package dev.ferry.storage.s3;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * What is at a path: a HEAD of its key, else a one-key LIST of its prefix, through the stat cache;
 * and the checksums S3 already stores.
 */
final class S3Lookup {

    private final S3Client s3;
    private final String bucket;
    private final Keys keys;
    private final StatCache cache;
    private final Instant started;

    S3Lookup(S3Client s3, String bucket, Keys keys, StatCache cache, Instant started) {
        this.s3 = s3;
        this.bucket = bucket;
        this.keys = keys;
        this.cache = cache;
        this.started = started;
    }

    /** The time of the root, and of directories that exist only through their objects. */
    Instant started() {
        return started;
    }

    FileInfo stat(StoragePath path) throws StorageException {
        return find(path).orElseThrow(() -> new StorageException.NotFound(path));
    }

    /** The entry at path, through the cache: a HEAD of the key, else a one-key LIST of the prefix. */
    Optional<FileInfo> find(StoragePath path) throws StorageException {
        if (path.isRoot()) {
            return Optional.of(FileInfo.directory(path, started));
        }
        Optional<Optional<FileInfo>> cached = cache.get(path);
        if (cached.isPresent()) {
            return cached.get();
        }
        long generation = cache.generation();
        Optional<HeadObjectResponse> head = head(path);
        if (head.isPresent()) {
            FileInfo file = FileInfo.file(path, head.get().contentLength(), head.get().lastModified());
            cache.put(path, Optional.of(file), head.get().eTag(), generation);
            return Optional.of(file);
        }
        Optional<FileInfo> found = directory(path);
        cache.put(path, found, generation);
        return found;
    }

    /**
     * HASH without reading the object, where S3 already knows the answer. Only for objects stored
     * in one piece (an ETag without "-"): a multipart object's ETag and checksums are computed over
     * its parts, not its bytes. The ETag is the MD5 of the bytes unless SSE-KMS or SSE-C encrypted
     * them (S3 User Guide, "Checking object integrity").
     */
    Optional<String> storedChecksum(StoragePath path, String algorithm) throws StorageException {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(keys.file(path))
                    .checksumMode(ChecksumMode.ENABLED));
            String etag = head.eTag() == null ? "" : head.eTag().replace("\"", "");
            if (etag.isEmpty() || etag.contains("-")) {
                return Optional.empty();
            }
            String base64 = switch (algorithm) {
                case "CRC32" -> head.checksumCRC32();
                case "SHA-1" -> head.checksumSHA1();
                case "SHA-256" -> head.checksumSHA256();
                default -> null;
            };
            if (base64 != null) {
                return Optional.of(HexFormat.of().formatHex(Base64.getDecoder().decode(base64)));
            }
            boolean plainEtag = head.serverSideEncryption() != ServerSideEncryption.AWS_KMS
                    && head.sseCustomerAlgorithm() == null && etag.matches("[0-9a-fA-F]{32}");
            return algorithm.equals("MD5") && plainEtag ? Optional.of(etag.toLowerCase(Locale.ROOT)) : Optional.empty();
        } catch (SdkException e) {
            throw S3Errors.map(path, e);
        }
    }

    private Optional<HeadObjectResponse> head(StoragePath path) throws StorageException {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(keys.file(path))));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return Optional.empty();
            }
            throw S3Errors.map(path, e);
        }
    }

    /**
     * A directory exists when any key starts with {@code dir/}: its marker or the objects below it.
     * The marker's LastModified is the directory's time when the marker sorts first (it always
     * does: it is the shortest key with that prefix); a prefix that exists only through its objects
     * shows the server's start time.
     */
    private Optional<FileInfo> directory(StoragePath path) throws StorageException {
        String prefix = keys.directory(path);
        try {
            ListObjectsV2Response response = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(1));
            if (response.contents().isEmpty()) {
                return Optional.empty();
            }
            var first = response.contents().getFirst();
            Instant time = first.key().equals(prefix) && first.lastModified() != null ? first.lastModified() : started;
            return Optional.of(FileInfo.directory(path, time));
        } catch (SdkException e) {
            throw S3Errors.map(path, e);
        }
    }

    FileInfo requireDirectory(StoragePath dir) throws StorageException {
        FileInfo info = stat(dir);
        if (!info.isDirectory()) {
            throw new StorageException.NotADirectory(dir);
        }
        return info;
    }

    /** The parent of a new entry must be a directory; a missing parent is NotFound. */
    void requireParent(StoragePath path) throws StorageException {
        Optional<FileInfo> parent = find(path.parent());
        if (parent.isEmpty() || !parent.get().isDirectory()) {
            throw new StorageException.NotFound(path);
        }
    }
}
