package dev.ferry.storage.s3;

import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageContract;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The shared contract against a real S3 endpoint (Amazon S3, MinIO, Ceph...), when one is given:
 * <pre>
 * mvn -pl storage-s3 -am test -Dtest=S3EndpointContractTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dferry.s3.bucket=my-test-bucket [-Dferry.s3.endpoint=http://127.0.0.1:9000] [-Dferry.s3.region=eu-west-1] \
 *     [-Dferry.s3.accessKey=... -Dferry.s3.secretKey=...]
 * </pre>
 * Without keys the SDK's default credentials chain is used. Every test works under a fresh key
 * prefix ({@code ferry-contract/<random>/}) and leaves only what a test deliberately keeps.
 * Skipped when {@code ferry.s3.bucket} is not set.
 */
@EnabledIfSystemProperty(named = "ferry.s3.bucket", matches = ".+")
class S3EndpointContractTest extends StorageContract {

    @Override
    protected Storage createStorage() throws Exception {
        Optional<URI> endpoint = Optional.ofNullable(System.getProperty("ferry.s3.endpoint")).map(URI::create);
        String key = System.getProperty("ferry.s3.accessKey", "");
        S3Config.Credentials credentials = key.isEmpty() ? new S3Config.Credentials.DefaultChain()
                : new S3Config.Credentials.Static(key, System.getProperty("ferry.s3.secretKey", ""));
        S3ConfigBuilder config = S3ConfigBuilder.of(System.getProperty("ferry.s3.bucket"), endpoint, credentials)
                .keyPrefix("ferry-contract/" + UUID.randomUUID());
        String region = System.getProperty("ferry.s3.region", "");
        if (!region.isEmpty()) {
            config.region(region);
        }
        return S3StorageProvider.open(config.build(), Duration.ofHours(1));
    }

    /** Every request crosses the network: keep the big-directory test to a few pages. */
    @Override
    protected int largeDirectorySize() {
        return 1_200;
    }
}
