package dev.ferry.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * The baselines: the AWS SDK's sync client on the same HTTP client Ferry uses (apache5, 200
 * connections), once with one request per object ("one stream") and once the way s5cmd and
 * rclone move a large object: a HEAD, then {@code parallelism} ranged GETs or parts in flight
 * (the bytes of a GET are read and dropped, as a download into a file at its offset would be).
 */
final class SdkTransfers implements AutoCloseable {

    private static final byte[] BUFFER_PATTERN = Fixtures.bytes(1 << 20, 11);

    private final S3Client s3;
    private final String bucket;
    private final int parallelism;
    private final long partSize;

    SdkTransfers(URI endpoint, String bucket, int parallelism, long partSize) {
        this.s3 = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Sandbox.KEY, S3Sandbox.SECRET)))
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(200)
                        .socketTimeout(Duration.ofSeconds(30)))
                .build();
        this.bucket = bucket;
        this.parallelism = parallelism;
        this.partSize = partSize;
    }

    /** One GetObject read to the end; returns the bytes read. */
    long getOne(String key) throws IOException {
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            return drain(in);
        }
    }

    /** HEAD, then ranged GETs of partSize with {@code parallelism} in flight. */
    long getParallel(String key) throws IOException {
        long size = s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
        long parts = (size + partSize - 1) / partSize;
        AtomicLong next = new AtomicLong();
        AtomicLong total = new AtomicLong();
        inParallel(parallelism, () -> {
            for (long p; (p = next.getAndIncrement()) < parts; ) {
                String range = "bytes=" + p * partSize + "-" + (Math.min(size, (p + 1) * partSize) - 1);
                try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key).range(range))) {
                    total.addAndGet(drain(in));
                }
            }
            return null;
        });
        return total.get();
    }

    /** One PutObject of {@code bytes}. */
    void put(String key, byte[] bytes) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }

    /** One PutObject of {@code size} bytes, streamed. */
    void putOne(String key, long size) {
        s3.putObject(b -> b.bucket(bucket).key(key),
                RequestBody.fromContentProvider(() -> new PatternStream(BUFFER_PATTERN, size), size,
                        "application/octet-stream"));
    }

    /** A multipart upload with {@code parallelism} parts in flight. */
    void putParallel(String key, long size) throws IOException {
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        long count = (size + partSize - 1) / partSize;
        byte[] part = new byte[(int) partSize];
        new PatternStream(BUFFER_PATTERN, partSize).read(part, 0, part.length);
        AtomicLong next = new AtomicLong();
        Queue<CompletedPart> done = new ConcurrentLinkedQueue<>();
        try {
            inParallel(parallelism, () -> {
                for (long p; (p = next.getAndIncrement()) < count; ) {
                    int number = (int) p + 1;
                    int length = (int) Math.min(partSize, size - p * partSize);
                    String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(number),
                            RequestBody.fromContentProvider(() -> new ByteArrayInputStream(part, 0, length), length,
                                    "application/octet-stream")).eTag();
                    done.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                }
                return null;
            });
            List<CompletedPart> sorted = done.stream().sorted(Comparator.comparing(CompletedPart::partNumber)).toList();
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(sorted)));
        } catch (IOException | RuntimeException e) {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id));
            throw e;
        }
    }

    /** GetObject of each key in turn ({@code lanes} 1) or with {@code lanes} at once, until the deadline. */
    int getEach(List<String> keys, int lanes, long deadline) throws IOException {
        return each(keys, lanes, deadline, key -> {
            try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key))) {
                drain(in);
            }
        });
    }

    /** PutObject of {@code size} bytes under each key, like {@link #getEach}. */
    int putEach(List<String> keys, int size, int lanes, long deadline) throws IOException {
        byte[] body = Fixtures.bytes(size, 99);
        return each(keys, lanes, deadline, key -> put(key, body));
    }

    /** ListObjectsV2 of a prefix with delimiter /, page after page; returns the entries. */
    int list(String prefix) {
        int entries = 0;
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).delimiter("/"))) {
            entries += page.contents().size() + page.commonPrefixes().size();
        }
        return entries;
    }

    interface KeyTask {
        void run(String key) throws IOException;
    }

    private static int each(List<String> keys, int lanes, long deadline, KeyTask task) throws IOException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        inParallel(lanes, () -> {
            for (int i; System.nanoTime() < deadline && (i = next.getAndIncrement()) < keys.size(); ) {
                task.run(keys.get(i));
                done.incrementAndGet();
            }
            return null;
        });
        return done.get();
    }

    /** Runs {@code lanes} copies of {@code lane} on virtual threads and waits; the first failure is thrown. */
    private static void inParallel(int lanes, Callable<Void> lane) throws IOException {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> running = new ArrayList<>();
            for (int i = 0; i < lanes; i++) {
                running.add(pool.submit(lane));
            }
            for (Future<Void> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
        }
        return total;
    }

    @Override
    public void close() {
        s3.close();
    }
}
