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
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * Ferry's tree over one bucket and key prefix. Keys use {@code /} as the separator; a directory is
 * a common prefix, plus a zero-byte {@code dir/} marker when it was made with MKD (so it exists
 * while empty). See README "Amazon S3 and S3-compatible stores" for what is atomic and what is not.
 */
public final class S3Storage implements Storage {

    private static final Logger LOG = LoggerFactory.getLogger(S3Storage.class);

    private final S3Client s3;
    private final S3Config config;
    private final String bucket;
    private final Keys keys;
    private final StatCache cache;
    private final WriteOptions writeOptions;
    private final LiveUploads live = new LiveUploads();
    private final Instant started = Instant.now();
    private final Set<Capability> capabilities;
    private final Copier copier;
    private final Janitor janitor;
    private final ReadBudget readBudget;
    private volatile Thread janitorThread;

    S3Storage(S3Client s3, S3Config config) {
        this.s3 = s3;
        this.config = config;
        this.bucket = config.bucket();
        this.keys = new Keys(config.keyPrefix());
        this.cache = new StatCache(config.cacheTtl());
        this.writeOptions = WriteOptions.of(config);
        this.copier = new Copier(s3, bucket, writeOptions, config.multipartCopyThreshold());
        this.janitor = new Janitor(s3, bucket, live);
        this.readBudget = new ReadBudget(config.readAhead());
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
        this.capabilities = Set.copyOf(caps);
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
        return find(path).orElseThrow(() -> new StorageException.NotFound(path));
    }

    /** The entry at path, through the cache: a HEAD of the key, else a one-key LIST of the prefix. */
    private Optional<FileInfo> find(StoragePath path) throws StorageException {
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
    @Override
    public Optional<String> storedChecksum(StoragePath path, String algorithm) throws StorageException {
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

    private FileInfo requireDirectory(StoragePath dir) throws StorageException {
        FileInfo info = stat(dir);
        if (!info.isDirectory()) {
            throw new StorageException.NotADirectory(dir);
        }
        return info;
    }

    /** The parent of a new entry must be a directory; a missing parent is NotFound. */
    private void requireParent(StoragePath path) throws StorageException {
        Optional<FileInfo> parent = find(path.parent());
        if (parent.isEmpty() || !parent.get().isDirectory()) {
            throw new StorageException.NotFound(path);
        }
    }

    // ---- list ----

    @Override
    public Listing list(StoragePath dir) throws StorageException {
        requireDirectory(dir);
        long generation = cache.generation();
        return new S3Listing(s3, bucket, keys, dir, config.listPageSize(), started,
                (info, etag) -> {
                    if (info.isFile()) {
                        cache.put(info.path(), Optional.of(info), etag, generation);
                    }
                });
    }

    // ---- read ----

    /**
     * A download: one GET for objects up to s3_read_part_size (ranged from {@code offset} for REST +
     * RETR), parallel ranged GETs beyond ({@link ReadAhead}). When a stat or listing has just told
     * the size and ETag, no request is spent finding them out again; otherwise the first GET is
     * ranged to one part, and its answer gives both. Every GET after the first is pinned to the
     * first one's ETag, and a broken one resumes where it stopped ({@link ResumingStream}).
     */
    @Override
    public ReadableByteChannel openRead(StoragePath path, long offset) throws StorageException {
        if (path.isRoot()) {
            throw new StorageException.IsADirectory(path);
        }
        String key = keys.file(path);
        S3Config.ReadAhead ahead = config.readAhead();
        int attempts = config.retries().attempts();
        try {
            Optional<StatCache.Entry> known = cache.file(path);
            if (ahead.enabled() && known.isPresent() && known.get().info().size() - offset > ahead.partSize()) {
                try {
                    ReadableByteChannel parallel = readAhead(key, known.get().etag(), offset,
                            known.get().info().size(), null);
                    if (parallel != null) {
                        return parallel;
                    }
                } catch (SdkException e) {
                    if (!S3Errors.isPreconditionFailed(e)) {
                        throw e;
                    }
                    // replaced since it was listed: forget what the cache said and ask afresh
                    cache.invalidate(path);
                    known = Optional.empty();
                }
            }
            if (ahead.enabled() && known.isEmpty()) {
                ResumingStream first = ResumingStream.open(s3, bucket, key, offset, offset + ahead.partSize(), null,
                        attempts);
                if (first.objectSize() - offset > ahead.partSize()) {
                    ReadableByteChannel parallel = readAhead(key, first.etag(), offset, first.objectSize(), first);
                    if (parallel != null) {
                        return parallel;
                    }
                    first.extendToEnd();
                }
                return new StreamChannel(first);
            }
            return new StreamChannel(ResumingStream.open(s3, bucket, key, offset, -1, null, attempts));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                if (find(path).filter(FileInfo::isDirectory).isPresent()) {
                    throw new StorageException.IsADirectory(path);
                }
                throw new StorageException.NotFound(path);
            }
            if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException service
                    && service.statusCode() == 416) {
                // InvalidRange: the offset is at or past the end (or the object is empty); RETR sends nothing
                stat(path);
                return Channels.newChannel(InputStream.nullInputStream());
            }
            throw S3Errors.map(path, e);
        } catch (IOException e) {
            throw new StorageException.Transient(path, "Reading " + path + " from S3 failed: " + e.getMessage(), e);
        }
    }

    /**
     * Parallel ranged GETs over [offset, size) of version {@code etag}, or null when the read-ahead
     * buffers are all in use (the caller then reads with one GET). Returns once part 0 is answered.
     */
    private ReadableByteChannel readAhead(String key, String etag, long offset, long size, ResumingStream first)
            throws IOException {
        S3Config.ReadAhead ahead = config.readAhead();
        long parts = (size - offset + ahead.partSize() - 1) / ahead.partSize();
        ReadBudget.Lease lease = readBudget.lease((int) Math.min(ahead.parallelism(), parts));
        if (lease.buffers() < 2) {
            lease.close();
            return null;
        }
        ReadAhead channel = new ReadAhead(s3, bucket, key, etag, offset, size, ahead.partSize(),
                config.retries().attempts(), lease, first);
        try {
            channel.awaitFirstAnswer();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    /** Read-ahead buffers free now, in parts (tests). */
    int freeReadBuffers() {
        return readBudget.available();
    }

    // ---- write ----

    @Override
    public Upload openWrite(StoragePath path, WriteMode mode) throws StorageException {
        if (path.isRoot()) {
            throw new StorageException.IsADirectory(path);
        }
        Optional<FileInfo> existing = find(path);
        if (existing.isPresent() && existing.get().isDirectory()) {
            throw new StorageException.IsADirectory(path);
        }
        if (existing.isEmpty()) {
            requireParent(path);
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

    // ---- directories ----

    /** MKD: a zero-byte object named {@code dir/} (the convention of the S3 console and rclone). */
    @Override
    public void createDirectory(StoragePath dir) throws StorageException {
        if (find(dir).isPresent()) {
            throw new StorageException.AlreadyExists(dir);
        }
        requireParent(dir);
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
        requireDirectory(dir);
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
        if (stat(file).isDirectory()) {
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
        if (from.isRoot() || to.isRoot()) {
            throw new StorageException.AccessDenied(from, "the root cannot be renamed or replaced");
        }
        FileInfo source = stat(from);
        Optional<FileInfo> target = find(to);
        if (source.isDirectory()) {
            renameDirectory(from, to, target);
            return;
        }
        if (target.isPresent() && target.get().isDirectory()) {
            throw new StorageException.IsADirectory(to);
        }
        if (target.isEmpty()) {
            requireParent(to);
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
        if (!config.renameDirectories()) {
            throw new StorageException.Unsupported("rename of a directory (S3 has no directories: it would copy"
                    + " every object below it, which is not atomic; set s3_rename_directories=YES to allow it)");
        }
        if (target.isPresent()) {
            throw new StorageException.AlreadyExists(to);
        }
        if (from.contains(to)) {
            throw new StorageException.InvalidName(to, "a directory cannot move into itself");
        }
        requireParent(to);
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
