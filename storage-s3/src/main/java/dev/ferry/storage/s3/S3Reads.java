package dev.ferry.storage.s3;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/** Downloads: one GET, or parallel ranged GETs within the storage's read-ahead memory. */
final class S3Reads {

    private final S3Client s3;
    private final String bucket;
    private final Keys keys;
    private final S3Config config;
    private final StatCache cache;
    private final S3Lookup lookup;
    private final ReadBudget readBudget;

    S3Reads(S3Client s3, S3Config config, Keys keys, StatCache cache, S3Lookup lookup) {
        this.s3 = s3;
        this.bucket = config.bucket();
        this.keys = keys;
        this.config = config;
        this.cache = cache;
        this.lookup = lookup;
        this.readBudget = new ReadBudget(config.readAhead());
    }

    /**
     * A download: one GET for objects up to s3_read_part_size (ranged from {@code offset} for REST +
     * RETR), parallel ranged GETs beyond ({@link ReadAhead}). When a stat or listing has just told
     * the size and ETag, no request is spent finding them out again; otherwise the first GET is
     * ranged to one part, and its answer gives both. Every GET after the first is pinned to the
     * first one's ETag, and a broken one resumes where it stopped ({@link ResumingStream}).
     */
    ReadableByteChannel openRead(StoragePath path, long offset) throws StorageException {
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
                if (lookup.find(path).filter(FileInfo::isDirectory).isPresent()) {
                    throw new StorageException.IsADirectory(path);
                }
                throw new StorageException.NotFound(path);
            }
            if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException service
                    && service.statusCode() == 416) {
                // InvalidRange: the offset is at or past the end (or the object is empty); RETR sends nothing
                lookup.stat(path);
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

    /** Read-ahead buffers free now, in parts. */
    int freeBuffers() {
        return readBudget.available();
    }
}
