package dev.ferry.storage.s3;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process S3Proxy ({@code transient}, in memory) per test class, with a fresh bucket per
 * test. S3ProxyExtension starts and stops a server around every test, which costs about a second
 * each (most of it Jetty's stop): 70 contract tests would spend more than a minute on it.
 */
final class SharedS3Proxy implements BeforeAllCallback, AfterAllCallback {

    private final S3ProxyExtension proxy = S3Proxies.extension();
    private final AtomicInteger buckets = new AtomicInteger();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        proxy.beforeEach(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        proxy.afterEach(context);
    }

    URI uri() {
        return proxy.getUri();
    }

    /** Creates a new, empty bucket and returns its name. */
    String newBucket() {
        String name = "bucket-" + buckets.incrementAndGet();
        S3Proxies.createBucket(uri(), name);
        return name;
    }
}
