package dev.ferry.storage.s3;

import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageContract;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The shared contract on LocalStack's S3, a second S3 implementation besides S3Proxy, where a
 * Docker engine is available; skipped cleanly without one.
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(300)
class LocalStackContractTest extends StorageContract {

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(
            DockerImageName.parse("localstack/localstack:4.0")).withServices("s3");

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @Override
    protected Storage createStorage() throws Exception {
        URI endpoint = LOCALSTACK.getEndpoint();
        String bucket = "contract-" + BUCKETS.incrementAndGet();
        try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true)
                .region(Region.of(LOCALSTACK.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
                .build()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        S3Config config = S3ConfigBuilder.of(bucket, Optional.of(endpoint),
                        new S3Config.Credentials.Static(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()))
                .region(LOCALSTACK.getRegion()).build();
        return S3StorageProvider.open(config, Duration.ofHours(1));
    }

    @Override
    protected int largeDirectorySize() {
        return 1_200;
    }
}
