package dev.ferry.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An in-process S3Proxy ({@code transient}: in memory, fresh for every test) and the clients and
 * configs tests use against it.
 */
final class S3Proxies {

    static final String ACCESS_KEY = "access";
    static final String SECRET_KEY = "secret";

    private S3Proxies() {
    }

    static S3ProxyExtension extension() {
        return S3ProxyExtension.builder().withBlobStoreProvider("transient")
                .withCredentials(ACCESS_KEY, SECRET_KEY).build();
    }

    /** A plain client for arranging and inspecting the bucket behind the storage's back. */
    static S3Client client(URI endpoint) {
        return client(endpoint, ClientOverrideConfiguration.builder().build());
    }

    static S3Client client(URI endpoint, ClientOverrideConfiguration override) {
        return S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .overrideConfiguration(override)
                .build();
    }

    /** A client as the storage builds it (apache5, its socket timeout), plus the test's interceptors. */
    static S3Client client(URI endpoint, ClientOverrideConfiguration override, Duration socketTimeout) {
        return S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(Apache5HttpClient.builder().socketTimeout(socketTimeout))
                .overrideConfiguration(override)
                .build();
    }

    /** The storage's defaults pointed at the proxy, with 5 MiB parts so multipart tests stay small. */
    static S3Config config(URI endpoint, String bucket) {
        return builder(endpoint, bucket).build();
    }

    /** {@link #config}, still open to changes. */
    static S3ConfigBuilder builder(URI endpoint, String bucket) {
        return S3ConfigBuilder.of(bucket, Optional.of(endpoint), new S3Config.Credentials.Static(ACCESS_KEY, SECRET_KEY))
                .tuning(S3Config.MIN_PART_SIZE, 2, Duration.ofSeconds(5), false, 1000, S3Config.MAX_COPY_SIZE);
    }

    static void createBucket(URI endpoint, String bucket) {
        try (S3Client s3 = client(endpoint)) {
            s3.createBucket(b -> b.bucket(bucket));
        }
    }
}
