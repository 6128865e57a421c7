package dev.ferry.storage.s3;

import dev.ferry.storage.Capability;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.SubtreeStorage;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * Ferry's tree over one bucket and key prefix. Keys use {@code /} as the separator; a directory is
 * a common prefix, plus a zero-byte {@code dir/} marker when it was made with MKD (so it exists
 * while empty). See README "Amazon S3 and S3-compatible stores" for what is atomic and what is not.
 *
 * <p>This class puts the parts together and keeps the directory markers; each part has one job:
 * {@link S3Lookup} (what is at a path), {@link S3Listing}, {@link S3Reads}, {@link S3Writes},
 * {@link S3Renames}, {@link Janitor} (stale multipart uploads).
 */
public final class S3Storage implements Storage {

    private static final Logger LOG = LoggerFactory.getLogger(S3Storage.class);

    private final S3Client s3;
    private final S3Config config;
    private final String bucket;
    private final Keys keys;
    private final StatCache cache;
    private final WriteOptions writeOptions;
    private final Set<Capability> capabilities;
    private final Janitor janitor;
    private final S3Lookup lookup;
    private final S3Reads reads;
    private final S3Writes writes;
    private final S3Renames renames;
    private volatile Thread janitorThread;

    S3Storage(S3Client s3, S3Config config) {
        this.s3 = s3;
        this.config = config;
        this.bucket = config.bucket();
        this.keys = new Keys(config.keyPrefix());
        this.cache = new StatCache(config.cacheTtl());
        this.writeOptions = WriteOptions.of(config);
        LiveUploads live = new LiveUploads();
        this.janitor = new Janitor(s3, bucket, live);
        this.lookup = new S3Lookup(s3, bucket, keys, cache, Instant.now());
        this.reads = new S3Reads(s3, config, keys, cache, lookup);
        this.writes = new S3Writes(s3, config, keys, writeOptions, live, cache, lookup);
        Copier copier = new Copier(s3, bucket, writeOptions, config.multipartCopyThreshold());
        this.renames = new S3Renames(s3, config, keys, copier, cache, lookup);
        this.capabilities = capabilities(config);
    }

    private static Set<Capability> capabilities(S3Config config) {
        EnumSet<Capability> caps = EnumSet.of(Capability.RANDOM_READ, Capability.APPEND, Capability.WRITE_AT_OFFSET,
                // S3 replaces an object in one step: a reader gets the old or the new object, never
                // a mix (PutObject and CompleteMultipartUpload API reference)
                Capability.ATOMIC_REPLACE, Capability.RENAME, Capability.SERVER_SIDE_COPY,
                Capability.EMPTY_DIRECTORIES);
        if (config.renameDirectories()) {
            caps.add(Capability.RENAME_DIRECTORY);
        }
        if (config.conditionalWrites()) {
            // If-None-Match: * on PutObject and CompleteMultipartUpload fails with 412 when the key
            // exists at that moment (S3 conditional writes, 2024; S3Proxy and MinIO honour it too)
            caps.add(Capability.EXCLUSIVE_CREATE);
        }
        return Set.copyOf(caps);
    }

    /** The client this storage uses; its lifetime is the storage's. */
    S3Client client() {
        return s3;
    }

    S3Config config() {
        return config;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    // ---- stat ----

    @Override
    public FileInfo stat(StoragePath path) throws StorageException {
        return lookup.stat(path);
    }

    @Override
    public Optional<String> storedChecksum(StoragePath path, String algorithm) throws StorageException {
        return lookup.storedChecksum(path, algorithm);
    }

    // ---- list ----

    @Override
    public Listing list(StoragePath dir) throws StorageException {
        lookup.requireDirectory(dir);
        long generation = cache.generation();
        return new S3Listing(s3, bucket, keys, dir, config.listPageSize(), lookup.started(),
                (info, etag) -> {
                    if (info.isFile()) {
                        cache.put(info.path(), Optional.of(info), etag, generation);
                    }
                });
    }

    // ---- read ----

    /** A download: see {@link S3Reads}. */
    @Override
    public ReadableByteChannel openRead(StoragePath path, long offset) throws StorageException {
        return reads.openRead(path, offset);
    }

    /** Read-ahead buffers free now, in parts (tests). */
    int freeReadBuffers() {
        return reads.freeBuffers();
    }

    // ---- write ----

    @Override
    public Upload openWrite(StoragePath path, WriteMode mode) throws StorageException {
        return writes.openWrite(path, mode);
    }

    // ---- directories ----

    /** MKD: a zero-byte object named {@code dir/} (the convention of the S3 console and rclone). */
    @Override
    public void createDirectory(StoragePath dir) throws StorageException {
        if (lookup.find(dir).isPresent()) {
            throw new StorageException.AlreadyExists(dir);
        }
        lookup.requireParent(dir);
        putMarker(dir);
    }

    private void putMarker(StoragePath dir) throws StorageException {
        try {
            s3.putObject(b -> {
                b.bucket(bucket).key(keys.directory(dir));
                writeOptions.apply(b);
            }, RequestBody.empty());
        } catch (SdkException e) {
            throw S3Errors.map(dir, e);
        } finally {
            cache.invalidate(dir);
        }
    }

    /** RMD: only when nothing but the marker is left under the prefix. */
    @Override
    public void deleteDirectory(StoragePath dir) throws StorageException {
        if (dir.isRoot()) {
            throw new StorageException.AccessDenied(dir, "the root cannot be removed");
        }
        lookup.requireDirectory(dir);
        String prefix = keys.directory(dir);
        try {
            ListObjectsV2Response response = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(2));
            if (response.contents().stream().anyMatch(o -> !o.key().equals(prefix))) {
                throw new StorageException.DirectoryNotEmpty(dir);
            }
            s3.deleteObject(b -> b.bucket(bucket).key(prefix));
        } catch (SdkException e) {
            throw S3Errors.map(dir, e);
        } finally {
            cache.invalidate(dir);
        }
    }

    // ---- delete ----

    @Override
    public void delete(StoragePath file) throws StorageException {
        if (lookup.stat(file).isDirectory()) {
            throw new StorageException.IsADirectory(file);
        }
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(keys.file(file)));
        } catch (SdkException e) {
            throw S3Errors.map(file, e);
        } finally {
            cache.invalidate(file);
        }
        keepParent(file.parent());
    }

    /**
     * A directory that existed only through its files would vanish with its last one, under the
     * feet of a client whose working directory it is; give it a marker instead, as if made by MKD.
     */
    private void keepParent(StoragePath dir) throws StorageException {
        if (dir.isRoot()) {
            return;
        }
        String prefix = keys.directory(dir);
        try {
            if (s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(1)).contents().isEmpty()) {
                putMarker(dir);
            }
        } catch (SdkException e) {
            throw S3Errors.map(dir, e);
        }
    }

    // ---- rename ----

    @Override
    public void rename(StoragePath from, StoragePath to) throws StorageException {
        renames.rename(from, to);
    }

    @Override
    public void setModified(StoragePath path, Instant time) throws StorageException {
        // S3 sets LastModified itself; only a copy onto itself changes it, and only to "now"
        throw new StorageException.Unsupported("set the modification time (S3 sets LastModified itself)");
    }

    // ---- recovery ----

    /**
     * Aborts multipart uploads below {@code dir} that this process does not own and that are older
     * than s3_stale_upload_age: the leftovers of a crash or kill -9, which S3 would otherwise keep
     * (and bill) forever unless the bucket has an AbortIncompleteMultipartUpload lifecycle rule.
     */
    @Override
    public void recover(StoragePath dir) throws StorageException {
        if (config.staleUploadAge().isZero()) {
            return;
        }
        try {
            int aborted = janitor.abortStale(keys.directory(dir), Instant.now().minus(config.staleUploadAge()));
            if (aborted > 0) {
                LOG.info("Aborted {} stale multipart upload(s) under s3://{}/{}", aborted, bucket, keys.directory(dir));
            }
        } catch (SdkException e) {
            throw S3Errors.map(dir, e);
        }
    }

    /**
     * Runs {@link #recover} on the whole prefix now and then every {@code interval}, on one virtual
     * thread: the server calls recover once per served root, but a long-running server also needs to
     * catch uploads that go stale later (another instance crashing on the same bucket).
     */
    void startJanitor(Duration interval) {
        if (config.staleUploadAge().isZero()) {
            return;
        }
        janitorThread = Thread.ofVirtual().name("s3-janitor").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        recover(StoragePath.ROOT);
                    } catch (StorageException | RuntimeException e) {
                        if (Thread.currentThread().isInterrupted()) {
                            return;
                        }
                        LOG.warn("Looking for stale multipart uploads in s3://{}/{} failed: {}", bucket,
                                keys.prefix(), e.getMessage());
                    }
                    Thread.sleep(interval);
                }
            } catch (InterruptedException e) {
                // closed
            }
        });
    }

    /**
     * Object keys have no links: a session's view is the key prefix of its root, and StoragePath
     * keeps {@code ..} from climbing above it.
     */
    @Override
    public Storage scoped(StoragePath root) {
        return SubtreeStorage.of(this, root);
    }

    @Override
    public void close() {
        Thread janitor = janitorThread;
        if (janitor != null) {
            janitor.interrupt();
            try {
                janitor.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        s3.close();
    }
}
