package dev.ferry.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A manual measurement, not part of the default run: a 1 GiB upload through the storage must keep
 * the heap near (s3_upload_concurrency + 1) x s3_part_size. S3Proxy stores on disk here
 * ({@code filesystem}) so that its blobs do not count. Run with
 * {@code mvn -q -pl storage-s3 -am test -Dtest=LargeUploadMemoryTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dferry.slow=true -DargLine=-Xmx96m} and read the figures in
 * storage-s3/target/surefire-reports/dev.ferry.storage.s3.LargeUploadMemoryTest-output.txt.
 */
@EnabledIfSystemProperty(named = "ferry.slow", matches = "true")
class LargeUploadMemoryTest {

    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().withBlobStoreProvider("filesystem")
            .withCredentials(S3Proxies.ACCESS_KEY, S3Proxies.SECRET_KEY).build();

    @Test
    void oneGibibyteUploadStaysWithinThePartBuffers() throws Exception {
        S3Proxies.createBucket(S3.getUri(), "memory");
        long size = 1L << 30;
        S3Config config = S3Proxies.builder(S3.getUri(), "memory")
                .tuning(8L << 20, 2, Duration.ofSeconds(5), false, 1000, S3Config.MAX_COPY_SIZE).build();
        System.gc();
        long baseline = usedAfterGc();
        long start = System.nanoTime();
        try (S3Storage storage = S3StorageProvider.open(config, Duration.ofHours(1))) {
            byte[] chunk = new byte[64 * 1024];
            new Random(1).nextBytes(chunk);
            try (Upload upload = storage.openWrite(StoragePath.parse("/big"), WriteMode.REPLACE)) {
                for (long sent = 0; sent < size; sent += chunk.length) {
                    ByteBuffer piece = ByteBuffer.wrap(chunk);
                    while (piece.hasRemaining()) {
                        upload.stream().write(piece);
                    }
                }
                assertEquals(size, upload.commit());
            }
            assertEquals(size, storage.stat(StoragePath.parse("/big")).size());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = peakUsedAfterGc();
        System.out.printf("1 GiB upload: %.1f s (%.0f MB/s), max heap %d MiB, heap after GC before: %d MiB,"
                        + " peak heap used incl. garbage and the in-process S3Proxy: %d MiB"
                        + " (part buffers: 3 x 8 MiB = 24 MiB)%n", seconds, size / 1e6 / seconds,
                Runtime.getRuntime().maxMemory() >> 20, baseline >> 20, peak >> 20);
    }

    private static long usedAfterGc() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    /** The peak use of each heap pool, summed: an upper bound that includes garbage. */
    private static long peakUsedAfterGc() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
