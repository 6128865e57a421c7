package dev.ferry.storage.s3;

import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageContract;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared contract on an in-process S3Proxy, under a key prefix so the path-to-key mapping is
 * exercised too. Listings use 100-key pages so the large-directory test crosses several pages.
 */
class S3StorageTest extends StorageContract {

    @RegisterExtension
    static final SharedS3Proxy S3 = new SharedS3Proxy();

    @Override
    protected Storage createStorage() throws Exception {
        S3Config config = S3Proxies.builder(S3.uri(), S3.newBucket()).keyPrefix("ferry/root")
                .tuning(S3Config.MIN_PART_SIZE, 2, Duration.ofSeconds(5), false, 100, S3Config.MAX_COPY_SIZE).build();
        return S3StorageProvider.open(config, Duration.ofHours(1));
    }

    /** S3Proxy answers in about 5 ms and a checked write is 3-4 requests; 2,000 would take a minute. */
    @Override
    protected int largeDirectorySize() {
        return 350;
    }
}
