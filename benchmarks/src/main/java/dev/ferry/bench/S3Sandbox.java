package dev.ferry.bench;

import java.net.URI;
import java.util.List;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An in-process S3Proxy on its transient (in-memory) blob store with one bucket, as the server
 * tests run it: the S3 figure is then Ferry's S3 backend and the S3 protocol over loopback, not
 * a remote service. S3ProxyJunitCore is the JUnit extension's engine without JUnit on the path.
 */
final class S3Sandbox implements AutoCloseable {

    static final String KEY = "access";
    static final String SECRET = "secret";
    static final String BUCKET = "bench";

    private final S3ProxyJunitCore proxy;

    private S3Sandbox(S3ProxyJunitCore proxy) {
        this.proxy = proxy;
    }

    static S3Sandbox start() throws Exception {
        S3ProxyJunitCore proxy = new S3ProxyJunitCore.Builder().withBlobStoreProvider("transient")
                .withCredentials(KEY, SECRET).build();
        proxy.beforeEach();
        S3Sandbox sandbox = new S3Sandbox(proxy);
        try (S3Client client = S3Client.builder().endpointOverride(sandbox.endpoint()).forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
                .build()) {
            client.createBucket(b -> b.bucket(BUCKET));
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
        return sandbox;
    }

    URI endpoint() {
        return proxy.getUri();
    }

    /** The backend settings that point Ferry's S3 backend at this proxy's bucket. */
    List<String> settings() {
        return List.of("storage=s3", "s3_bucket=" + BUCKET, "s3_endpoint=" + endpoint(), "s3_path_style=YES",
                "s3_access_key_id=" + KEY, "s3_secret_access_key=" + SECRET);
    }

    @Override
    public void close() {
        proxy.afterEach();
    }
}
