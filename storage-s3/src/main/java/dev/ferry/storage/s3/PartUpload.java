package dev.ferry.storage.s3;

import dev.ferry.storage.StagedUpload;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An upload of unknown length with bounded memory and no temp file (notes/s3-streaming.md,
 * approach (a)): bytes fill a part buffer; a full buffer is shipped as an UploadPart only once a
 * further byte arrives, so a stream that fits in one part becomes one PutObject and a stream of
 * exactly k parts never sends an empty last part. At most {@code concurrency} parts upload while
 * one more buffer fills: a writer that needs a buffer when all are busy blocks, which pushes back
 * on the FTP client through TCP.
 *
 * <p>Nothing is visible under the key before {@link #commit()}: the object appears with
 * PutObject or CompleteMultipartUpload. Abort (ABOR, close without commit, any failure) waits for
 * the parts in flight to stop and only then calls AbortMultipartUpload, because parts still
 * uploading during an abort can survive it (AbortMultipartUpload API reference). The state machine
 * is {@link StagedUpload}'s; an abort discards at once and wakes a writer waiting for a buffer.
 */
final class PartUpload extends StagedUpload {

    private static final Logger LOG = LoggerFactory.getLogger(PartUpload.class);
    /** S3 numbers parts 1..10,000 (UploadPart API reference). */
    private static final int MAX_PARTS = 10_000;
    /** The first buffer starts small and grows, so small files do not pay for a whole part. */
    private static final int FIRST_BUFFER = 64 * 1024;
    /** Offered to the free buffers to wake a writer blocked for one after an abort. */
    private static final byte[] ABORTED = new byte[0];

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final StoragePath path;
    private final WriteOptions options;
    private final long partSize;
    private final int concurrency;
    private final Resume resume;
    private final boolean exclusive;
    private final int attempts;
    private final LiveUploads live;
    private final Runnable finished;

    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedBlockingQueue<byte[]> free = new LinkedBlockingQueue<>();
    private final List<Future<CompletedPart>> parts = new ArrayList<>();
    /** Set by discard, under lock: no multipart upload may start after it. */
    private boolean discarded;
    // guarded by lock
    private String uploadId;
    private ExecutorService executor;
    private int nextPart = 1;
    // owned by the writer thread
    private byte[] buffer;
    private int filled;
    private int allocated;
    private long written;
    private volatile Throwable failure;

    PartUpload(S3Client s3, String bucket, String key, StoragePath path, WriteOptions options, long partSize,
               int concurrency, Resume resume, boolean exclusive, int attempts, LiveUploads live, Runnable finished) {
        super(path, AbortStyle.IMMEDIATE);
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.path = path;
        this.options = options;
        this.partSize = partSize;
        this.concurrency = concurrency;
        this.resume = resume;
        this.exclusive = exclusive;
        this.attempts = attempts;
        this.live = live;
        this.finished = finished;
        if (resume instanceof Resume.Reread(byte[] bytes)) {
            buffer = Arrays.copyOf(bytes, Math.max(bytes.length, FIRST_BUFFER));
            filled = bytes.length;
        } else {
            buffer = new byte[(int) Math.min(FIRST_BUFFER, partSize)];
        }
        allocated = 1;
    }

    @Override
    protected long publish() throws StorageException {
        try {
            failIfAPartFailed();
            if (uploadId == null && !(resume instanceof Resume.Copy)) {
                putObject();
            } else {
                startMultipart();
                if (filled > 0) {
                    submitPart(buffer, filled);
                }
                complete(awaitParts());
            }
            return resume.length() + written;
        } catch (SdkException e) {
            if (exclusive && S3Errors.isPreconditionFailed(e)) {
                throw new StorageException.AlreadyExists(path);
            }
            throw S3Errors.map(path, e);
        } catch (IOException e) {
            if (e.getCause() instanceof SdkException sdk) {
                throw S3Errors.map(path, sdk);
            }
            throw new StorageException.Failed(path, "Upload of " + path + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new StorageException.Failed(path, "Upload of " + path + " failed: " + e, e);
        }
    }

    /**
     * A conditional put is not repeated here: if the first one succeeded but its answer was lost,
     * a repeat would see its own object and fail with 412.
     */
    private void putObject() {
        int length = filled;
        byte[] bytes = buffer;
        Backoff.retry(exclusive ? 0 : attempts, () -> s3.putObject(b -> {
            b.bucket(bucket).key(key);
            options.apply(b);
            if (exclusive) {
                // conditional write: 412 when the key appeared meanwhile (PutObject API reference)
                b.ifNoneMatch("*");
            }
        }, body(bytes, length)));
    }

    private void complete(List<CompletedPart> done) {
        s3.completeMultipartUpload(b -> {
            b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(done));
            if (exclusive) {
                b.ifNoneMatch("*");
            }
        });
        live.remove(uploadId);
    }

    private List<CompletedPart> awaitParts() throws IOException {
        List<Future<CompletedPart>> snapshot;
        lock.lock();
        try {
            snapshot = List.copyOf(parts);
        } finally {
            lock.unlock();
        }
        List<CompletedPart> done = new ArrayList<>();
        for (Future<CompletedPart> part : snapshot) {
            try {
                done.add(part.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the parts of " + path);
            } catch (ExecutionException e) {
                throw failure(e.getCause());
            }
        }
        done.sort(Comparator.comparing(CompletedPart::partNumber));
        return done;
    }

    private static RuntimeException failure(Throwable cause) {
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }

    /**
     * Creates the multipart upload (once) and, for a resume, queues the copy parts that keep the
     * first bytes of the old object. Under the lock, so an abort either sees the upload id or
     * prevents its creation: an id created after an abort would be left behind.
     */
    private void startMultipart() throws IOException {
        lock.lock();
        try {
            if (discarded) {
                throw new IOException("The upload of " + path + " was aborted");
            }
            if (uploadId != null) {
                return;
            }
            uploadId = s3.createMultipartUpload(b -> {
                b.bucket(bucket).key(key);
                options.apply(b);
            }).uploadId();
            live.add(uploadId);
            executor = Executors.newVirtualThreadPerTaskExecutor();
            if (resume instanceof Resume.Copy copy) {
                CopyRanges ranges = CopyRanges.of(copy.length(), S3Config.MAX_COPY_SIZE);
                boolean whole = ranges.ranges().size() == 1 && copy.length() == copy.sourceSize();
                for (CopyRanges.Range range : ranges.ranges()) {
                    int number = nextPart++;
                    String id = uploadId;
                    parts.add(executor.submit(() -> copyPart(id, number, copy.etag(), whole ? null : range.header())));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private CompletedPart copyPart(String id, int number, String etag, String range) {
        try {
            UploadPartCopyResponse response = Backoff.retry(attempts, () -> s3.uploadPartCopy(b -> b
                    .sourceBucket(bucket).sourceKey(key).copySourceIfMatch(etag).copySourceRange(range)
                    .destinationBucket(bucket).destinationKey(key).uploadId(id).partNumber(number)));
            return CompletedPart.builder().partNumber(number).eTag(response.copyPartResult().eTag())
                    .checksumCRC32(response.copyPartResult().checksumCRC32()).build();
        } catch (RuntimeException e) {
            recordFailure(e);
            throw e;
        }
    }

    /** Queues one part; the buffer returns to the free list when its upload ends. */
    private void submitPart(byte[] bytes, int length) throws IOException {
        lock.lock();
        try {
            if (discarded) {
                throw new IOException("The upload of " + path + " was aborted");
            }
            if (nextPart > MAX_PARTS) {
                throw new IOException("Upload of " + path + " exceeds S3's 10,000 parts; raise s3_part_size");
            }
            int number = nextPart++;
            String id = uploadId;
            parts.add(executor.submit(() -> uploadPart(id, number, bytes, length)));
        } finally {
            lock.unlock();
        }
    }

    /** Sent again from its buffer after a failure worth retrying, up to s3_retries times. */
    private CompletedPart uploadPart(String id, int number, byte[] bytes, int length) {
        try {
            UploadPartResponse response = Backoff.retry(attempts, () -> s3.uploadPart(b -> {
                b.bucket(bucket).key(key).uploadId(id).partNumber(number);
                options.apply(b);
            }, body(bytes, length)));
            return CompletedPart.builder().partNumber(number).eTag(response.eTag())
                    .checksumCRC32(response.checksumCRC32()).build();
        } catch (RuntimeException e) {
            recordFailure(e);
            throw e;
        } finally {
            free.offer(bytes);
        }
    }

    private void recordFailure(Throwable e) {
        if (failure == null) {
            failure = e;
        }
    }

    private void failIfAPartFailed() throws IOException {
        Throwable f = failure;
        if (f != null) {
            throw new IOException("A part of " + path + " failed: " + f.getMessage(), f);
        }
    }

    /** Zero-copy and replayable, so the SDK can retry a part without another buffer. */
    private static RequestBody body(byte[] bytes, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                "application/octet-stream");
    }

    /**
     * The part size grows with the part number (doubling every 1,000 parts) so that a stream of
     * unknown length is not stopped by the 10,000-part limit at 10,000 x s3_part_size: with 8 MiB
     * that allows about 5 TiB, while files up to 7.8 GiB use 8 MiB parts throughout.
     */
    private long partSize(int number) {
        int doublings = Math.min((number - 1) / 1000, 9);
        return Math.min(partSize << doublings, S3Config.MAX_COPY_SIZE);
    }

    /** A buffer for the next part: a free one, a new one while under the bound, else wait. */
    private byte[] takeBuffer() throws IOException {
        byte[] next = free.poll();
        if (next == null && allocated < concurrency + 1) {
            allocated++;
            return new byte[(int) partSize(nextPartNumber())];
        }
        try {
            if (next == null) {
                next = free.take();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a part buffer");
        }
        if (next == ABORTED) {
            free.offer(ABORTED);
            throw new IOException("The upload of " + path + " was aborted");
        }
        return next;
    }

    private int nextPartNumber() {
        lock.lock();
        try {
            return nextPart;
        } finally {
            lock.unlock();
        }
    }

    @Override
    protected int write(ByteBuffer src) throws IOException {
        failIfAPartFailed();
        int count = src.remaining();
        while (src.hasRemaining()) {
            if (filled == buffer.length) {
                long wanted = partSize(nextPartNumber());
                if (buffer.length < wanted) {
                    buffer = Arrays.copyOf(buffer, (int) Math.min(wanted, 2L * buffer.length));
                } else {
                    // a full part and more bytes coming: it is not the last part, ship it
                    startMultipart();
                    submitPart(buffer, filled);
                    buffer = null;
                    filled = 0;
                    try {
                        buffer = takeBuffer();
                    } catch (IOException e) {
                        // commit must not reuse a buffer that a part is still uploading
                        recordFailure(e);
                        throw e;
                    }
                    failIfAPartFailed();
                }
            }
            int n = Math.min(src.remaining(), buffer.length - filled);
            src.get(buffer, filled, n);
            filled += n;
            written += n;
        }
        return count;
    }

    /**
     * Wakes a writer blocked for a buffer, stops the parts in flight, waits for them, then aborts
     * the multipart upload.
     */
    @Override
    protected void discard() {
        free.offer(ABORTED);
        ExecutorService parts;
        String id;
        lock.lock();
        try {
            discarded = true;
            parts = executor;
            id = uploadId;
        } finally {
            lock.unlock();
        }
        if (parts != null) {
            parts.shutdownNow();
            parts.close();
        }
        if (id != null) {
            try {
                // the failure that got us here may be the network's: the abort gets retries too
                Backoff.retry(attempts, () -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id)));
            } catch (SdkException e) {
                if (!S3Errors.isNotFound(e)) {
                    // the janitor and the bucket lifecycle rule clean up what is left here
                    LOG.warn("Could not abort the multipart upload {} of {}: {}", id, path, e.getMessage());
                }
            } finally {
                live.remove(id);
            }
        }
        // drop the idle buffers now; a writer still blocked for one wakes on the marker
        free.clear();
        free.offer(ABORTED);
    }

    @Override
    protected void ended() {
        finished.run();
    }
}
