package dev.ferry.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds an {@link S3Config} for tests: the provider's defaults, plus the knobs tests turn, some of
 * which no directive exposes (the list page size, the multipart copy threshold). Test code only: the
 * server builds its config from the directives in {@link S3StorageProvider}.
 */
final class S3ConfigBuilder {

    private final String bucket;
    private final Optional<URI> endpoint;
    private final S3Config.Credentials credentials;
    private String keyPrefix = "";
    private String region = "";
    private long partSize = 8L << 20;
    private int uploadConcurrency = 2;
    private Duration cacheTtl = Duration.ofSeconds(5);
    private boolean renameDirectories;
    private Duration staleUploadAge = Duration.ofHours(24);
    private int listPageSize = 1000;
    private long multipartCopyThreshold = S3Config.MAX_COPY_SIZE;
    private S3Config.ReadAhead readAhead = S3Config.ReadAhead.DEFAULT;
    private S3Config.Retries retries = S3Config.Retries.DEFAULT;

    private S3ConfigBuilder(String bucket, Optional<URI> endpoint, S3Config.Credentials credentials) {
        this.bucket = bucket;
        this.endpoint = endpoint;
        this.credentials = credentials;
    }

    /** Defaults for everything but where the bucket is; path style whenever an endpoint is given. */
    static S3ConfigBuilder of(String bucket, Optional<URI> endpoint, S3Config.Credentials credentials) {
        return new S3ConfigBuilder(bucket, endpoint, credentials);
    }

    S3ConfigBuilder keyPrefix(String prefix) {
        this.keyPrefix = prefix;
        return this;
    }

    S3ConfigBuilder region(String region) {
        this.region = region;
        return this;
    }

    S3ConfigBuilder tuning(long partSize, int uploadConcurrency, Duration cacheTtl, boolean renameDirectories,
                           int listPageSize, long multipartCopyThreshold) {
        this.partSize = partSize;
        this.uploadConcurrency = uploadConcurrency;
        this.cacheTtl = cacheTtl;
        this.renameDirectories = renameDirectories;
        this.listPageSize = listPageSize;
        this.multipartCopyThreshold = multipartCopyThreshold;
        return this;
    }

    S3ConfigBuilder staleUploadAge(Duration age) {
        this.staleUploadAge = age;
        return this;
    }

    S3ConfigBuilder readAhead(S3Config.ReadAhead readAhead) {
        this.readAhead = readAhead;
        return this;
    }

    S3ConfigBuilder retries(S3Config.Retries retries) {
        this.retries = retries;
        return this;
    }

    S3Config build() {
        return new S3Config(bucket, keyPrefix, region, endpoint, endpoint.isPresent(), credentials, partSize,
                uploadConcurrency, "", S3Config.Encryption.NONE, false, true, cacheTtl, renameDirectories, true, 200,
                Duration.ofSeconds(30), staleUploadAge, listPageSize, multipartCopyThreshold, readAhead, retries);
    }
}
