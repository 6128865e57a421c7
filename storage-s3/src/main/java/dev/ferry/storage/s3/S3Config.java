package dev.ferry.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The validated settings of one S3 storage: what the provider read from the directives, in the
 * types the backend uses. Tests build it with their own builder to reach knobs no directive exposes
 * (page size, the multipart copy threshold).
 *
 * @param bucket                 the bucket every key lives in
 * @param keyPrefix              {@code ""} or a prefix ending in {@code /} that every key starts with
 * @param region                 empty: the SDK's region chain, falling back to us-east-1
 * @param endpoint               empty: AWS; else an S3-compatible endpoint
 * @param pathStyle              bucket in the path instead of the host name (MinIO, S3Proxy, Ceph)
 * @param credentials            how requests are signed
 * @param partSize               bytes per uploaded part (at least 5 MiB, the S3 minimum for non-last parts)
 * @param uploadConcurrency      parts of one upload in flight at once
 * @param storageClass           empty: the bucket default
 * @param encryption             server-side encryption of new objects
 * @param checksumWhenRequired   send and check checksums only where the S3 API requires them
 * @param chunkedEncoding        aws-chunked payload signing; some S3-compatibles reject it
 * @param cacheTtl               how long stat results are reused; zero turns the cache off
 * @param renameDirectories      allow the non-atomic copy-every-key directory rename
 * @param conditionalWrites      the store honours If-None-Match: * on writes (STOU is then exclusive)
 * @param maxConnections         HTTP connection pool size
 * @param acquireTimeout         how long a request waits for a pooled connection
 * @param staleUploadAge         multipart uploads older than this are aborted by the janitor; zero: never
 * @param listPageSize           keys per ListObjectsV2 page (S3 caps it at 1000)
 * @param multipartCopyThreshold objects above this are copied in parts (CopyObject stops at 5 GiB)
 * @param readAhead              parallel ranged GETs for large sequential reads
 * @param retries                how broken transfers are resumed and failed parts sent again
 */
record S3Config(String bucket, String keyPrefix, String region, Optional<URI> endpoint, boolean pathStyle,
                Credentials credentials, long partSize, int uploadConcurrency, String storageClass,
                Encryption encryption, boolean checksumWhenRequired, boolean chunkedEncoding, Duration cacheTtl,
                boolean renameDirectories, boolean conditionalWrites, int maxConnections, Duration acquireTimeout,
                Duration staleUploadAge, int listPageSize, long multipartCopyThreshold, ReadAhead readAhead,
                Retries retries) {

    /** S3's smallest part, except the last one (UploadPart API reference). */
    static final long MIN_PART_SIZE = 5L << 20;
    /** S3's largest single CopyObject and largest part (CopyObject and UploadPartCopy API reference). */
    static final long MAX_COPY_SIZE = 5L << 30;

    S3Config {
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("s3_bucket is not set");
        }
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("s3_part_size must be at least " + MIN_PART_SIZE
                    + " (5 MiB, the smallest part S3 accepts), not " + partSize);
        }
        if (uploadConcurrency < 1) {
            throw new IllegalArgumentException("s3_upload_concurrency must be at least 1");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("s3_max_connections must be at least 1");
        }
        if (listPageSize < 1 || listPageSize > 1000) {
            throw new IllegalArgumentException("list page size must be 1..1000");
        }
        multipartCopyThreshold = Math.min(multipartCopyThreshold, MAX_COPY_SIZE);
        keyPrefix = normalizePrefix(keyPrefix);
    }

    /** {@code /a/b}, {@code a/b/} and {@code a//b} all become {@code a/b/}; blank becomes {@code ""}. */
    static String normalizePrefix(String prefix) {
        StringBuilder result = new StringBuilder();
        for (String part : prefix.split("/")) {
            if (!part.isEmpty()) {
                result.append(part).append('/');
            }
        }
        return result.toString();
    }

    /**
     * Parallel ranged GETs for one sequential read: one GET stream moves at most its TCP window per
     * round trip, so a distant bucket needs several in flight to fill the link (what s5cmd and
     * rclone do). Each download holds up to {@code parallelism} buffers of {@code partSize}; all
     * downloads together at most {@code memory} bytes, beyond which a download reads with one GET.
     *
     * @param partSize    bytes per ranged GET (and per buffer)
     * @param parallelism ranged GETs in flight per download; 1 turns read-ahead off
     * @param memory      bytes of read-ahead buffers for the whole storage
     */
    record ReadAhead(long partSize, int parallelism, long memory) {
        static final ReadAhead DEFAULT = new ReadAhead(8L << 20, 6, 256L << 20);
        static final ReadAhead OFF = new ReadAhead(8L << 20, 1, 0);

        ReadAhead {
            if (partSize < 64 * 1024 || partSize > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("s3_read_part_size must be between 64 KiB and 2 GiB, not " + partSize);
            }
            if (parallelism < 1) {
                throw new IllegalArgumentException("s3_read_parallelism must be at least 1");
            }
            if (memory < 0) {
                throw new IllegalArgumentException("s3_read_memory cannot be negative");
            }
        }

        boolean enabled() {
            return parallelism > 1 && memory >= 2 * partSize;
        }
    }

    /**
     * What a transfer survives: a GET that breaks is resumed from the byte it reached, a failed part
     * is sent again from its buffer, each up to {@code attempts} times in a row without progress
     * (on top of the SDK's own retries of a request that got no answer at all). A connection with no
     * byte for {@code socketTimeout} counts as broken.
     */
    record Retries(int attempts, Duration socketTimeout) {
        static final Retries DEFAULT = new Retries(3, Duration.ofSeconds(30));

        Retries {
            if (attempts < 0) {
                throw new IllegalArgumentException("s3_retries cannot be negative");
            }
            if (socketTimeout.isNegative() || socketTimeout.isZero()) {
                throw new IllegalArgumentException("s3_socket_timeout must be positive");
            }
        }
    }

    /** How requests are signed. */
    sealed interface Credentials {
        /** The SDK's default chain: environment, system properties, profile, container, instance role. */
        record DefaultChain() implements Credentials {
        }

        /** A named profile from ~/.aws/config and ~/.aws/credentials. */
        record Profile(String name) implements Credentials {
        }

        /** Fixed keys from the configuration. */
        record Static(String accessKeyId, String secretAccessKey) implements Credentials {
            @Override
            public String toString() {
                // never print the secret, not even in a stack trace of a failed start
                return "Static[accessKeyId=" + accessKeyId + "]";
            }
        }
    }

    /** Server-side encryption of new objects (PutObject API reference, x-amz-server-side-encryption). */
    record Encryption(String algorithm, String kmsKeyId) {
        static final Encryption NONE = new Encryption("", "");

        Encryption {
            if (!algorithm.isEmpty() && !algorithm.equals("AES256") && !algorithm.equals("aws:kms")) {
                throw new IllegalArgumentException("s3_sse must be none, AES256 or aws:kms, not " + algorithm);
            }
            if (!kmsKeyId.isEmpty() && !algorithm.equals("aws:kms")) {
                throw new IllegalArgumentException("s3_sse_kms_key_id needs s3_sse=aws:kms");
            }
        }
    }
}
