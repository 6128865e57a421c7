package dev.ferry.storage.s3;

import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.StorageProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/** The {@code s3} backend: a bucket (and key prefix) on Amazon S3 or an S3-compatible store. */
public final class S3StorageProvider implements StorageProvider {

    static final String BUCKET = "s3_bucket";
    static final String PREFIX = "s3_prefix";
    static final String REGION = "s3_region";
    static final String ENDPOINT = "s3_endpoint";
    static final String PATH_STYLE = "s3_path_style";
    static final String ACCESS_KEY_ID = "s3_access_key_id";
    static final String SECRET_ACCESS_KEY = "s3_secret_access_key";
    static final String PROFILE = "s3_profile";
    static final String PART_SIZE = "s3_part_size";
    static final String UPLOAD_CONCURRENCY = "s3_upload_concurrency";
    static final String STORAGE_CLASS = "s3_storage_class";
    static final String SSE = "s3_sse";
    static final String SSE_KMS_KEY_ID = "s3_sse_kms_key_id";
    static final String CHECKSUM = "s3_checksum";
    static final String CHUNKED_ENCODING = "s3_chunked_encoding";
    static final String CACHE_TTL = "s3_cache_ttl";
    static final String RENAME_DIRECTORIES = "s3_rename_directories";
    static final String CONDITIONAL_WRITES = "s3_conditional_writes";
    static final String MAX_CONNECTIONS = "s3_max_connections";
    static final String STALE_UPLOAD_AGE = "s3_stale_upload_age";
    static final String READ_PART_SIZE = "s3_read_part_size";
    static final String READ_PARALLELISM = "s3_read_parallelism";
    static final String READ_MEMORY = "s3_read_memory";
    static final String RETRIES = "s3_retries";
    static final String SOCKET_TIMEOUT = "s3_socket_timeout";

    /** How often the janitor looks for stale multipart uploads after the one at startup. */
    private static final Duration JANITOR_INTERVAL = Duration.ofHours(1);

    private static final List<Setting> SETTINGS = List.of(
            new Setting(BUCKET, Setting.Kind.STRING, "",
                    "The S3 bucket the s3 backend serves. Required with storage=s3; startup fails with a clear"
                            + " message when it is missing or not accessible."),
            new Setting(PREFIX, Setting.Kind.STRING, "",
                    "A key prefix inside s3_bucket that is Ferry's root (e.g. ftp/ makes /pub/a the key ftp/pub/a)."
                            + " Empty: the whole bucket."),
            new Setting(REGION, Setting.Kind.STRING, "",
                    "The AWS region of the bucket. Empty: us-east-1 when s3_endpoint is set, else the SDK's"
                            + " region chain (AWS_REGION, ~/.aws/config, instance metadata), else us-east-1."),
            new Setting(ENDPOINT, Setting.Kind.STRING, "",
                    "The endpoint URL of an S3-compatible store (MinIO, Ceph, Garage, ...), e.g."
                            + " http://127.0.0.1:9000. Empty: Amazon S3."),
            new Setting(PATH_STYLE, Setting.Kind.BOOLEAN, "NO",
                    "Address the bucket in the URL path (endpoint/bucket/key) instead of the host name; most"
                            + " S3-compatible stores need YES."),
            new Setting(ACCESS_KEY_ID, Setting.Kind.STRING, "",
                    "A static access key id. Empty (with s3_profile empty): the SDK's default credentials chain"
                            + " (environment, ~/.aws, container or instance role)."),
            new Setting(SECRET_ACCESS_KEY, Setting.Kind.STRING, "",
                    "The secret of s3_access_key_id. Keep it in a config file only root can read; it is never"
                            + " logged."),
            new Setting(PROFILE, Setting.Kind.STRING, "",
                    "A named profile from ~/.aws/credentials and ~/.aws/config. Empty: the default chain."),
            new Setting(PART_SIZE, Setting.Kind.INTEGER, String.valueOf(8L << 20),
                    "Bytes per part of a multipart upload (at least 5 MiB, the S3 minimum). An upload that fits in"
                            + " one part is a single PutObject. Each upload holds up to"
                            + " (s3_upload_concurrency + 1) parts in memory; no temp file is written."),
            new Setting(UPLOAD_CONCURRENCY, Setting.Kind.INTEGER, "2",
                    "Parts of one upload sent to S3 at the same time while the next part fills."),
            new Setting(STORAGE_CLASS, Setting.Kind.STRING, "",
                    "The storage class of new objects (STANDARD, STANDARD_IA, INTELLIGENT_TIERING, ...)."
                            + " Empty: the bucket's default."),
            new Setting(SSE, Setting.Kind.STRING, "none",
                    "Server-side encryption of new objects: none (the bucket's default), AES256 (SSE-S3) or"
                            + " aws:kms (SSE-KMS)."),
            new Setting(SSE_KMS_KEY_ID, Setting.Kind.STRING, "",
                    "The KMS key for s3_sse=aws:kms. Empty: the account's aws/s3 key."),
            new Setting(CHECKSUM, Setting.Kind.STRING, "when_supported",
                    "when_supported: send CRC32 checksums with every upload and part and check them on"
                            + " download (the SDK default). when_required: only where the S3 API demands one,"
                            + " for S3-compatible stores that reject checksum headers."),
            new Setting(CHUNKED_ENCODING, Setting.Kind.BOOLEAN, "YES",
                    "Sign uploads with aws-chunked encoding (the SDK default). Set NO for S3-compatible stores"
                            + " that do not understand it."),
            new Setting(CACHE_TTL, Setting.Kind.INTEGER, "5",
                    "Seconds a stat or listing result is reused (bounded cache; Ferry's own writes invalidate"
                            + " it at once). Changes made by other S3 clients show after at most this long."
                            + " 0 turns the cache off."),
            new Setting(RENAME_DIRECTORIES, Setting.Kind.BOOLEAN, "NO",
                    "Allow RNFR/RNTO of directories. S3 has no directories, so this copies and deletes every"
                            + " object below one: slow for big trees and not atomic (a failure midway leaves"
                            + " objects under both names). NO answers 550 with the reason. vsftpd can always"
                            + " rename directories; this safer default differs."),
            new Setting(CONDITIONAL_WRITES, Setting.Kind.BOOLEAN, "YES",
                    "The store honours If-None-Match: * on uploads (Amazon S3 since 2024, MinIO), so STOU never"
                            + " replaces a file that appeared meanwhile. Set NO for stores that ignore the header;"
                            + " STOU then checks the name first, which two uploads of one name can race."),
            new Setting(MAX_CONNECTIONS, Setting.Kind.INTEGER, "200",
                    "The HTTP connection pool to S3. Size it for the busiest moment: uploads x"
                            + " (s3_upload_concurrency + 1), plus downloads x s3_read_parallelism (as far as"
                            + " s3_read_memory lets them read ahead; one each beyond), plus listings. A request"
                            + " waits up to 30 seconds for a free connection, then the client gets 451."),
            new Setting(STALE_UPLOAD_AGE, Setting.Kind.INTEGER, "86400",
                    "Seconds after which an incomplete multipart upload under s3_prefix that this server"
                            + " does not own counts as left behind by a crash and is aborted (at startup, then"
                            + " hourly). 0: never. Also set an AbortIncompleteMultipartUpload lifecycle rule"
                            + " on the bucket."),
            new Setting(READ_PART_SIZE, Setting.Kind.INTEGER, String.valueOf(S3Config.ReadAhead.DEFAULT.partSize()),
                    "Bytes per ranged GET when a download reads ahead (see s3_read_parallelism). Objects no"
                            + " larger than this are always read with one GET."),
            new Setting(READ_PARALLELISM, Setting.Kind.INTEGER,
                    String.valueOf(S3Config.ReadAhead.DEFAULT.parallelism()),
                    "Ranged GETs one download keeps in flight. One GET stream moves at most a TCP window per round"
                            + " trip, so a distant bucket needs several to fill the link (measured at 40 ms round"
                            + " trip: about 4x one stream; README, S3 and SFTP at a distance). Each download holds"
                            + " up to this many s3_read_part_size buffers and S3 connections. 1 turns read-ahead"
                            + " off."),
            new Setting(READ_MEMORY, Setting.Kind.INTEGER, String.valueOf(S3Config.ReadAhead.DEFAULT.memory()),
                    "Bytes of read-ahead buffers for all downloads together. A download that finds fewer than"
                            + " two buffers free reads with one GET instead of waiting, so memory stays bounded"
                            + " and no download stalls (the default holds 5 downloads at full read-ahead). Raise"
                            + " it with the heap (-Xmx) for many concurrent large downloads. 0 turns read-ahead"
                            + " off."),
            new Setting(RETRIES, Setting.Kind.INTEGER, String.valueOf(S3Config.Retries.DEFAULT.attempts()),
                    "How often a download that breaks is resumed from the byte it reached (pinned to the"
                            + " object's ETag, so a changed object fails the transfer instead of mixing two"
                            + " versions), and a failed upload part is sent again from its buffer, before the"
                            + " transfer fails (451) and a multipart upload is aborted. Counted per failure in a"
                            + " row, with a backoff of 0.1 to 5 seconds; the SDK's own retries of a request"
                            + " without an answer come on top."),
            new Setting(SOCKET_TIMEOUT, Setting.Kind.INTEGER,
                    String.valueOf(S3Config.Retries.DEFAULT.socketTimeout().toSeconds()),
                    "Seconds an S3 connection may go without a byte before the request counts as broken (then"
                            + " s3_retries applies). The SDK's default is 30."));

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public List<Setting> settings() {
        return SETTINGS;
    }

    @Override
    public Storage open(Settings settings) throws StorageException {
        S3Config config;
        try {
            config = config(settings);
        } catch (IllegalArgumentException e) {
            throw new StorageException.Failed(StoragePath.ROOT, e.getMessage(), e);
        }
        return open(config, JANITOR_INTERVAL);
    }

    /** Builds the client, checks the bucket, and starts the janitor; closes the client on failure. */
    static S3Storage open(S3Config config, Duration janitorInterval) throws StorageException {
        S3Client s3 = S3Clients.build(config);
        try {
            BucketCheck.check(s3, config);
        } catch (StorageException | RuntimeException e) {
            s3.close();
            throw e;
        }
        S3Storage storage = new S3Storage(s3, config);
        storage.startJanitor(janitorInterval);
        return storage;
    }

    static S3Config config(Settings settings) {
        String bucket = settings.string(BUCKET).trim();
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("storage=s3 needs s3_bucket");
        }
        String endpointText = settings.string(ENDPOINT).trim();
        Optional<URI> endpoint = Optional.empty();
        if (!endpointText.isEmpty()) {
            try {
                URI uri = new URI(endpointText);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new URISyntaxException(endpointText, "needs http:// or https:// and a host");
                }
                endpoint = Optional.of(uri);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(ENDPOINT + "=" + endpointText + " is not a URL: " + e.getMessage(), e);
            }
        }
        String id = settings.string(ACCESS_KEY_ID).trim();
        String secret = settings.string(SECRET_ACCESS_KEY).trim();
        String profile = settings.string(PROFILE).trim();
        if (id.isEmpty() != secret.isEmpty()) {
            throw new IllegalArgumentException("set both " + ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY + ", or neither");
        }
        if (!id.isEmpty() && !profile.isEmpty()) {
            throw new IllegalArgumentException("set static keys or " + PROFILE + ", not both");
        }
        S3Config.Credentials credentials = !id.isEmpty() ? new S3Config.Credentials.Static(id, secret)
                : !profile.isEmpty() ? new S3Config.Credentials.Profile(profile)
                : new S3Config.Credentials.DefaultChain();
        String sse = settings.string(SSE).trim();
        String checksum = settings.string(CHECKSUM).trim().toLowerCase(Locale.ROOT);
        if (!checksum.equals("when_supported") && !checksum.equals("when_required")) {
            throw new IllegalArgumentException(CHECKSUM + " must be when_supported or when_required, not " + checksum);
        }
        long partSize = settings.integer(PART_SIZE);
        if (partSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(PART_SIZE + " must be below 2 GiB: each part is one buffer in memory");
        }
        long cacheTtl = settings.integer(CACHE_TTL);
        long socketTimeout = settings.integer(SOCKET_TIMEOUT);
        if (socketTimeout < 1) {
            throw new IllegalArgumentException(SOCKET_TIMEOUT + " must be at least 1 second");
        }
        long staleAge = settings.integer(STALE_UPLOAD_AGE);
        if (cacheTtl < 0 || staleAge < 0) {
            throw new IllegalArgumentException(CACHE_TTL + " and " + STALE_UPLOAD_AGE + " cannot be negative");
        }
        return new S3Config(bucket, settings.string(PREFIX), settings.string(REGION).trim(), endpoint,
                settings.bool(PATH_STYLE), credentials, partSize, Math.toIntExact(settings.integer(UPLOAD_CONCURRENCY)),
                settings.string(STORAGE_CLASS).trim(),
                new S3Config.Encryption(sse.equalsIgnoreCase("none") ? "" : sse, settings.string(SSE_KMS_KEY_ID).trim()),
                checksum.equals("when_required"), settings.bool(CHUNKED_ENCODING), Duration.ofSeconds(cacheTtl),
                settings.bool(RENAME_DIRECTORIES), settings.bool(CONDITIONAL_WRITES), Math.toIntExact(settings.integer(MAX_CONNECTIONS)),
                Duration.ofSeconds(30), Duration.ofSeconds(staleAge), 1000, S3Config.MAX_COPY_SIZE,
                new S3Config.ReadAhead(settings.integer(READ_PART_SIZE), Math.toIntExact(settings.integer(READ_PARALLELISM)),
                        settings.integer(READ_MEMORY)),
                new S3Config.Retries(Math.toIntExact(settings.integer(RETRIES)), Duration.ofSeconds(socketTimeout)));
    }
}
