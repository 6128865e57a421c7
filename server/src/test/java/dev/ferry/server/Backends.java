package dev.ferry.server;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The storage backends of this build, for tests that must behave the same on each. Another backend
 * joins every such test with one line in {@link #ALL}.
 */
final class Backends {

    /** How a test gets a server on one backend and writes paths of it in the configuration. */
    interface Backend {
        String name();

        /** A server builder serving a fresh storage kept under {@code dir} (where the backend needs a place). */
        TestServer.Builder builder(Path dir) throws Exception;

        /** A storage path ({@code /pub}) as the configuration spells it (anon_root, homes, rules). */
        String configured(Path dir, String path);
    }

    static final Backend MEMORY = new Backend() {
        public String name() {
            return "memory";
        }

        public TestServer.Builder builder(Path dir) {
            return TestServer.builder();
        }

        public String configured(Path dir, String path) {
            return path;
        }

        @Override
        public String toString() {
            return name();
        }
    };

    static final Backend LOCAL = new Backend() {
        public String name() {
            return "local";
        }

        public TestServer.Builder builder(Path dir) {
            return TestServer.builder().local(dir);
        }

        public String configured(Path dir, String path) {
            return path.equals("/") ? dir.toString() : dir + path;
        }

        @Override
        public String toString() {
            return name();
        }
    };

    /**
     * S3 on one in-process S3Proxy for the whole test run (started on first use), a fresh bucket
     * for each server.
     */
    static final Backend S3 = new Backend() {
        private final AtomicInteger buckets = new AtomicInteger();

        public String name() {
            return "s3";
        }

        public TestServer.Builder builder(Path dir) throws Exception {
            URI endpoint = SharedS3.endpoint();
            String bucket = "backend-" + buckets.incrementAndGet();
            try (S3Client client = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true)
                    .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(SharedS3.KEY, SharedS3.SECRET))).build()) {
                client.createBucket(b -> b.bucket(bucket));
            }
            return TestServer.builder().set("storage", "s3").set("s3_bucket", bucket)
                    .set("s3_endpoint", endpoint.toString()).set("s3_path_style", "YES")
                    .set("s3_access_key_id", SharedS3.KEY).set("s3_secret_access_key", SharedS3.SECRET);
        }

        public String configured(Path dir, String path) {
            return path;
        }

        @Override
        public String toString() {
            return name();
        }
    };

    /**
     * The S3Proxy behind {@link #S3}: started when the class is first used (the JVM's class
     * initialisation makes that happen once), stopped when the test JVM exits.
     */
    private static final class SharedS3 {
        static final String KEY = "access";
        static final String SECRET = "secret";
        private static final S3ProxyExtension PROXY = start();

        static URI endpoint() {
            return PROXY.getUri();
        }

        private static S3ProxyExtension start() {
            S3ProxyExtension proxy = S3ProxyExtension.builder().withBlobStoreProvider("transient")
                    .withCredentials(KEY, SECRET).build();
            try {
                proxy.beforeEach(null);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the in-process S3Proxy", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> proxy.afterEach(null)));
            return proxy;
        }
    }

    /** Commons VFS on its ram:// provider: each storage has a VFS manager, so each server starts empty. */
    static final Backend VFS = new Backend() {
        public String name() {
            return "vfs";
        }

        public TestServer.Builder builder(Path dir) {
            return TestServer.builder().set("storage", "vfs").set("vfs_root", "ram:///");
        }

        public String configured(Path dir, String path) {
            return path;
        }

        @Override
        public String toString() {
            return name();
        }
    };

    /** Every backend available to the server tests. */
    static final List<Backend> ALL = List.of(MEMORY, LOCAL, S3, VFS);

    private Backends() {
    }

    /** For {@code @MethodSource}. */
    static List<Backend> all() {
        return ALL;
    }
}
