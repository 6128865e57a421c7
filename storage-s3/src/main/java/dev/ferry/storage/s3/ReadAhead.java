package dev.ferry.storage.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A sequential read of one object version as parallel ranged GETs: the bytes from {@code start}
 * are cut into parts of {@code partSize}, and up to one lane per buffer fetches the next parts
 * while the reader consumes the current one. When the reader finishes a part, its buffer goes
 * to the part {@code buffers} ahead. One GET stream moves at most a TCP window per round trip;
 * several in flight fill a long link the way s5cmd and rclone do, while the reader still sees
 * one ordered stream. Every GET is pinned to the ETag, and each lane resumes a broken GET
 * ({@link ResumingStream}), so a part fails only if the object changed or S3 stays unreachable.
 *
 * <p>Memory: {@code buffers} x {@code partSize}, leased from the storage-wide {@link ReadBudget}
 * and given back on close.
 */
final class ReadAhead implements ReadableByteChannel {

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String etag;
    private final long start;
    private final long size;
    private final int partSize;
    private final int attempts;
    private final ReadBudget.Lease lease;
    private final PartBuffer[] slots;
    private final long parts;
    private final ExecutorService lanes = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentHashMap<Long, ResumingStream> fetching = new ConcurrentHashMap<>();
    /** Completes when S3 has answered the GET of part 0: the object is there, in this version. */
    private final CompletableFuture<Void> answered = new CompletableFuture<>();
    // the reader's position, owned by the reading thread
    private long part;
    private int inPart;
    private volatile boolean closed;

    /**
     * Starts the lanes. {@code first}, when not null, is the already answered GET of part 0 (the
     * one that told the size); otherwise part 0 is fetched like the others, all at once.
     */
    ReadAhead(S3Client s3, String bucket, String key, String etag, long start, long size, long partSize,
              int attempts, ReadBudget.Lease lease, ResumingStream first) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.etag = etag;
        this.start = start;
        this.size = size;
        this.partSize = (int) partSize;
        this.attempts = attempts;
        this.lease = lease;
        this.parts = (size - start + partSize - 1) / partSize;
        this.slots = new PartBuffer[(int) Math.min(lease.buffers(), parts)];
        if (first != null) {
            answered.complete(null);
        }
        for (long p = 0; p < slots.length; p++) {
            fetch(p, p == 0 ? first : null);
        }
    }

    /**
     * Waits for S3's answer to part 0, so that a missing object or a changed version (412 on the
     * ETag the caller knew) fails the open, before the transfer starts.
     */
    void awaitFirstAnswer() throws IOException {
        try {
            answered.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for S3");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SdkException sdk) {
                throw sdk;
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    private long from(long p) {
        return start + p * partSize;
    }

    private long to(long p) {
        return Math.min(size, from(p) + partSize);
    }

    /** Puts part {@code p} into its slot and starts its lane. */
    private void fetch(long p, ResumingStream opened) {
        int slot = (int) (p % slots.length);
        if (slots[slot] == null) {
            slots[slot] = new PartBuffer((int) Math.min(partSize, size - start));
        }
        PartBuffer buffer = slots[slot];
        buffer.reset((int) (to(p) - from(p)));
        lanes.execute(() -> {
            ResumingStream in = opened;
            try {
                if (in == null) {
                    in = p == 0 ? ResumingStream.open(s3, bucket, key, from(p), to(p), etag, attempts)
                            : ResumingStream.lazy(s3, bucket, key, from(p), to(p), etag, attempts);
                }
                if (p == 0) {
                    answered.complete(null);
                }
                fetching.put(p, in);
                if (closed) {
                    throw new IOException("the download of " + key + " was closed");
                }
                buffer.fill(in);
            } catch (IOException | RuntimeException e) {
                if (p == 0) {
                    // only part 0 answers for the open: a later part that fails first (a 412 on a
                    // replaced object races part 0's own 412) must not turn the open's clean
                    // "changed since it was listed, ask afresh" into a failed download
                    answered.completeExceptionally(e);
                }
                buffer.fail(e instanceof IOException io ? io : new IOException(e.getMessage(), e));
            } finally {
                fetching.remove(p);
                if (in != null) {
                    closeQuietly(in);
                }
            }
        });
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (part >= parts) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        PartBuffer buffer = slots[(int) (part % slots.length)];
        int n = buffer.read(dst, inPart);
        inPart += n;
        if (inPart == to(part) - from(part)) {
            part++;
            inPart = 0;
            long next = part - 1 + slots.length;
            if (next < parts) {
                fetch(next, null);
            }
        }
        return n;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /** Aborts the GETs in flight (a closed download must not drain the rest of the object) and frees the buffers. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        IOException gone = new IOException("the download of " + key + " was closed");
        for (PartBuffer buffer : slots) {
            if (buffer != null) {
                buffer.fail(gone);
            }
        }
        fetching.values().forEach(ReadAhead::closeQuietly);
        lanes.shutdownNow();
        lease.close();
    }

    private static void closeQuietly(ResumingStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // aborting: nothing more to do with it
        }
    }
}
