package dev.ferry.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.Capability;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/** What only the S3 backend has: parts, multipart uploads, markers, resume by copy, startup checks. */
@Timeout(120)
class S3BackendTest {

    private static final int PART = (int) S3Config.MIN_PART_SIZE;

    @RegisterExtension
    static final SharedS3Proxy S3 = new SharedS3Proxy();

    private final UploadedBytes uploaded = new UploadedBytes();
    private String bucket;
    private S3Client raw;
    private S3Storage storage;

    @BeforeEach
    void open() {
        bucket = S3.newBucket();
        raw = S3Proxies.client(S3.uri());
        storage = open(S3Proxies.config(S3.uri(), bucket));
    }

    @AfterEach
    void close() {
        storage.close();
        raw.close();
    }

    /** A storage whose client counts the body bytes of PutObject and UploadPart. */
    private S3Storage open(S3Config config) {
        S3Client counted = S3Proxies.client(S3.uri(),
                ClientOverrideConfiguration.builder().addExecutionInterceptor(uploaded).build());
        return new S3Storage(counted, config);
    }

    // ---- uploads: one PutObject or parts ----

    @Test
    void justUnderOnePartIsASinglePutObject() throws Exception {
        byte[] data = bytes(PART - 1);
        assertEquals(data.length, write("/f", data, WriteMode.REPLACE));
        assertFalse(etag("f").contains("-"), "a multipart ETag: " + etag("f"));
        assertArrayEquals(data, read("/f"));
    }

    @Test
    void aSinglePartObjectAnswersMd5FromItsEtagAndAMultipartOneDoesNot() throws Exception {
        byte[] small = bytes(1000);
        write("/small", small, WriteMode.REPLACE);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(small));
        assertEquals(Optional.of(md5), storage.storedChecksum(StoragePath.parse("/small"), "MD5"));
        write("/big", bytes(PART + 1), WriteMode.REPLACE);
        // a multipart ETag is an MD5 of the parts' MD5s, not of the bytes: the server must compute it
        assertEquals(Optional.empty(), storage.storedChecksum(StoragePath.parse("/big"), "MD5"));
        assertEquals(Optional.empty(), storage.storedChecksum(StoragePath.parse("/big"), "SHA-256"));
    }

    @Test
    void exactlyOnePartIsStillASinglePutObject() throws Exception {
        byte[] data = bytes(PART);
        write("/f", data, WriteMode.REPLACE);
        assertFalse(etag("f").contains("-"), "a multipart ETag: " + etag("f"));
        assertArrayEquals(data, read("/f"));
    }

    @Test
    void justOverOnePartIsTwoParts() throws Exception {
        byte[] data = bytes(PART + 1);
        write("/f", data, WriteMode.REPLACE);
        assertTrue(etag("f").endsWith("-2"), "ETag " + etag("f"));
        assertArrayEquals(data, read("/f"));
    }

    @Test
    void severalPartsInFlightArriveInOrder() throws Exception {
        byte[] data = bytes(4 * PART + 12345);
        write("/f", data, WriteMode.REPLACE);
        assertTrue(etag("f").endsWith("-5"), "ETag " + etag("f"));
        assertArrayEquals(data, read("/f"));
        assertEquals(data.length, uploaded.total.get());
    }

    @Test
    void abortMidMultipartLeavesNoObjectAndNoPendingUpload() throws Exception {
        Upload upload = storage.openWrite(path("/f"), WriteMode.REPLACE);
        writeFully(upload, bytes(3 * PART + 7));
        assertEquals(1, pendingUploads(), "the multipart upload has started");
        upload.abort();
        assertThrows(IOException.class, () -> upload.stream().write(ByteBuffer.wrap(new byte[1])));
        assertThrows(StorageException.class, upload::commit);
        assertEquals(0, pendingUploads());
        assertFalse(exists("f"));
    }

    @Test
    void closeWithoutCommitAbortsTheMultipartUpload() throws Exception {
        try (Upload upload = storage.openWrite(path("/f"), WriteMode.REPLACE)) {
            writeFully(upload, bytes(2 * PART + 1));
        }
        assertEquals(0, pendingUploads());
        assertFalse(exists("f"));
    }

    @Test
    void abortFromAnotherThreadWakesAWriterWaitingForABuffer() throws Exception {
        Upload upload = storage.openWrite(path("/f"), WriteMode.REPLACE);
        try (ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> writing = writer.submit(() -> {
                byte[] chunk = bytes(64 * 1024);
                while (true) {
                    upload.stream().write(ByteBuffer.wrap(chunk));
                }
            });
            Thread.sleep(300);
            upload.abort();
            Exception e = assertThrows(Exception.class, () -> writing.get());
            assertTrue(e.getCause() instanceof IOException, e.toString());
        }
        assertEquals(0, pendingUploads());
        assertFalse(exists("f"));
    }

    // ---- resume ----

    @Test
    void appendToALargeObjectCopiesItAndUploadsOnlyTheTail() throws Exception {
        byte[] head = bytes(PART + 100);
        byte[] tail = bytes(3000);
        write("/f", head, WriteMode.REPLACE);
        uploaded.total.set(0);
        assertEquals(head.length + tail.length, write("/f", tail, WriteMode.APPEND));
        assertArrayEquals(concat(head, tail), read("/f"));
        assertEquals(tail.length, uploaded.total.get(), "only the new bytes travel");
        assertTrue(etag("f").endsWith("-2"), "copy part + tail part: " + etag("f"));
    }

    @Test
    void resumeAtTheCurrentSizeOfALargeObjectUploadsOnlyTheTail() throws Exception {
        byte[] head = bytes(2 * PART + 5);
        byte[] tail = bytes(PART + 9);
        write("/f", head, WriteMode.REPLACE);
        uploaded.total.set(0);
        write("/f", tail, new WriteMode.ResumeAt(head.length));
        assertArrayEquals(concat(head, tail), read("/f"));
        assertEquals(tail.length, uploaded.total.get());
        assertEquals(0, pendingUploads());
    }

    @Test
    void resumeInsideALargeObjectKeepsARangedCopy() throws Exception {
        byte[] old = bytes(2 * PART);
        byte[] tail = bytes(10);
        write("/f", old, WriteMode.REPLACE);
        uploaded.total.set(0);
        write("/f", tail, new WriteMode.ResumeAt(PART + 3));
        assertArrayEquals(concat(Arrays.copyOf(old, PART + 3), tail), read("/f"));
        assertEquals(tail.length, uploaded.total.get());
    }

    @Test
    void appendToASmallObjectRewritesIt() throws Exception {
        write("/f", bytes(1000), WriteMode.REPLACE);
        uploaded.total.set(0);
        write("/f", bytes(10), WriteMode.APPEND);
        assertArrayEquals(concat(bytes(1000), bytes(10)), read("/f"));
        assertEquals(1010, uploaded.total.get(), "under 5 MiB the kept bytes are uploaded again");
    }

    @Test
    void resumeBeyondTheEndIsRefusedWithTheSizes() throws Exception {
        write("/f", bytes(10), WriteMode.REPLACE);
        StorageException e = assertThrows(StorageException.Failed.class,
                () -> storage.openWrite(path("/f"), new WriteMode.ResumeAt(11)));
        assertTrue(e.getMessage().contains("11") && e.getMessage().contains("10 bytes"), e.getMessage());
    }

    @Test
    void aResumeFailsWhenTheObjectIsReplacedMeanwhile() throws Exception {
        write("/f", bytes(PART + 1), WriteMode.REPLACE);
        try (Upload upload = storage.openWrite(path("/f"), WriteMode.APPEND)) {
            raw.putObject(b -> b.bucket(bucket).key("f"), RequestBody.fromBytes(bytes(PART + 2)));
            writeFully(upload, bytes(5));
            assertThrows(StorageException.class, upload::commit);
        }
        assertArrayEquals(bytes(PART + 2), read("/f"), "the other writer's object is intact");
        assertEquals(0, pendingUploads());
    }

    // ---- exclusive create ----

    @Test
    void createNewIsAConditionalWrite() throws Exception {
        assertTrue(storage.capabilities().contains(Capability.EXCLUSIVE_CREATE));
        try (Upload upload = storage.openWrite(path("/f"), WriteMode.CREATE_NEW)) {
            writeFully(upload, bytes(PART + 1));
            raw.putObject(b -> b.bucket(bucket).key("f"), RequestBody.fromString("winner"));
            assertThrows(StorageException.AlreadyExists.class, upload::commit);
        }
        assertEquals("winner", raw.getObjectAsBytes(b -> b.bucket(bucket).key("f")).asUtf8String());
        assertEquals(0, pendingUploads());
    }

    // ---- listing ----

    @Test
    @Timeout(150)
    void tenThousandKeysListInPages() throws Exception {
        int count = 10_000;
        try (ExecutorService pool = Executors.newFixedThreadPool(32, Thread.ofVirtual().factory())) {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = "many/k" + i;
                puts.add(pool.submit(() -> raw.putObject(b -> b.bucket(bucket).key(key), RequestBody.empty())));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        }
        Set<String> names = new HashSet<>();
        try (Listing listing = storage.list(path("/many"))) {
            for (FileInfo info : listing) {
                assertTrue(names.add(info.name()), "listed twice: " + info.name());
            }
        }
        assertEquals(count, names.size());
        assertTrue(names.contains("k0") && names.contains("k9999"));
    }

    // ---- directories: markers and prefixes ----

    @Test
    void aPrefixWithoutAMarkerIsADirectoryWithASaneTime() throws Exception {
        raw.putObject(b -> b.bucket(bucket).key("a/b/c.txt"), RequestBody.fromString("x"));
        FileInfo a = storage.stat(path("/a"));
        assertTrue(a.isDirectory());
        assertTrue(a.modified().isAfter(Instant.parse("2020-01-01T00:00:00Z")), a.modified().toString());
        assertEquals(Set.of("a"), names(StoragePath.ROOT));
        assertEquals(Set.of("c.txt"), names(path("/a/b")));
        assertThrows(StorageException.DirectoryNotEmpty.class, () -> storage.deleteDirectory(path("/a/b")));
    }

    @Test
    void mkdirWritesAMarkerAndRmdirRemovesIt() throws Exception {
        storage.createDirectory(path("/d"));
        assertTrue(exists("d/"));
        Instant markerTime = raw.headObject(b -> b.bucket(bucket).key("d/")).lastModified();
        assertEquals(markerTime, storage.stat(path("/d")).modified());
        storage.deleteDirectory(path("/d"));
        assertFalse(exists("d/"));
    }

    @Test
    void deletingTheLastFileOfAPrefixKeepsTheDirectory() throws Exception {
        raw.putObject(b -> b.bucket(bucket).key("only/f"), RequestBody.fromString("x"));
        storage.delete(path("/only/f"));
        assertTrue(storage.stat(path("/only")).isDirectory());
        assertTrue(exists("only/"), "a marker replaced the last file");
    }

    @Test
    void keysNoPathCanNameAreSkippedInListings() throws Exception {
        raw.putObject(b -> b.bucket(bucket).key("d/ok"), RequestBody.fromString("x"));
        raw.putObject(b -> b.bucket(bucket).key("d/line\nbreak"), RequestBody.fromString("x"));
        assertEquals(Set.of("ok"), names(path("/d")));
    }

    // ---- rename ----

    @Test
    void renameOfAMultipartObjectWithCopyObject() throws Exception {
        byte[] data = bytes(2 * PART + 3);
        write("/big", data, WriteMode.REPLACE);
        storage.rename(path("/big"), path("/moved"));
        assertFalse(exists("big"));
        assertArrayEquals(data, read("/moved"));
    }

    @Test
    void renameAboveTheCopyThresholdCopiesInParts() throws Exception {
        storage.close();
        storage = open(S3Proxies.builder(S3.uri(), bucket)
                .tuning(S3Config.MIN_PART_SIZE, 2, Duration.ofSeconds(5), false, 1000, 6L << 20).build());
        byte[] data = bytes(2 * PART + 3);
        write("/big", data, WriteMode.REPLACE);
        storage.rename(path("/big"), path("/moved"));
        assertTrue(etag("moved").endsWith("-2"), "a multipart copy: " + etag("moved"));
        assertArrayEquals(data, read("/moved"));
        assertFalse(exists("big"));
        assertEquals(0, pendingUploads());
    }

    @Test
    void directoryRenameIsRefusedWithAReasonByDefault() throws Exception {
        storage.createDirectory(path("/d"));
        StorageException e = assertThrows(StorageException.Unsupported.class,
                () -> storage.rename(path("/d"), path("/e")));
        assertTrue(e.getMessage().contains("s3_rename_directories"), e.getMessage());
    }

    @Test
    void directoryRenameWhenEnabledMovesEveryKey() throws Exception {
        storage.close();
        storage = open(S3Proxies.builder(S3.uri(), bucket)
                .tuning(S3Config.MIN_PART_SIZE, 2, Duration.ofSeconds(5), true, 2, S3Config.MAX_COPY_SIZE).build());
        storage.createDirectory(path("/d"));
        for (int i = 0; i < 5; i++) {
            write("/d/f" + i, bytes(i), WriteMode.REPLACE);
        }
        raw.putObject(b -> b.bucket(bucket).key("d/sub/deep"), RequestBody.fromString("deep"));
        storage.rename(path("/d"), path("/e"));
        assertEquals(Set.of("e"), names(StoragePath.ROOT));
        assertEquals(Set.of("f0", "f1", "f2", "f3", "f4", "sub"), names(path("/e")));
        assertEquals("deep", raw.getObjectAsBytes(b -> b.bucket(bucket).key("e/sub/deep")).asUtf8String());
    }

    // ---- recovery ----

    @Test
    void recoverAbortsStaleUploadsButNotLiveOnes() throws Exception {
        storage.close();
        storage = open(S3Proxies.builder(S3.uri(), bucket).staleUploadAge(Duration.ofMillis(1)).build());
        String orphan = raw.createMultipartUpload(b -> b.bucket(bucket).key("crashed")).uploadId();
        try (Upload live = storage.openWrite(path("/live"), WriteMode.REPLACE)) {
            writeFully(live, bytes(PART + 1));
            Thread.sleep(1100);
            storage.recover(StoragePath.ROOT);
            List<String> left = raw.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
                    .map(u -> u.key()).toList();
            assertEquals(List.of("live"), left, "orphan " + orphan + " aborted, the live upload kept");
            writeFully(live, bytes(3));
            live.commit();
        }
        assertEquals(PART + 4, storage.stat(path("/live")).size());
    }

    // ---- startup checks ----

    @Test
    void aMissingBucketFailsStartupClearly() {
        StorageException e = assertThrows(StorageException.class,
                () -> S3StorageProvider.open(S3Proxies.config(S3.uri(), "no-such-bucket"), Duration.ofHours(1)));
        assertTrue(e.getMessage().contains("'no-such-bucket' does not exist"), e.getMessage());
    }

    @Test
    void wrongCredentialsFailStartupClearly() {
        S3Config config = S3Proxies.config(S3.uri(), bucket);
        S3Config wrong = new S3Config(bucket, "", "", config.endpoint(), true,
                new S3Config.Credentials.Static("access", "wrong secret"), config.partSize(), 2, "",
                S3Config.Encryption.NONE, false, true, Duration.ZERO, false, true, 4, Duration.ofSeconds(5),
                Duration.ZERO, 1000, S3Config.MAX_COPY_SIZE, S3Config.ReadAhead.DEFAULT, S3Config.Retries.DEFAULT);
        StorageException e = assertThrows(StorageException.class,
                () -> S3StorageProvider.open(wrong, Duration.ofHours(1)));
        assertTrue(e.getMessage().contains("is denied"), e.getMessage());
    }

    @Test
    void anUnreachableEndpointFailsStartupClearly() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + port);
        S3Config config = S3Proxies.config(nowhere, "b");
        StorageException e = assertThrows(StorageException.class,
                () -> S3StorageProvider.open(config, Duration.ofHours(1)));
        assertTrue(e.getMessage().contains("Cannot reach the S3 endpoint " + nowhere), e.getMessage());
    }

    // ---- helpers ----

    /** Sums the payload sizes of PutObject and UploadPart requests, before any chunk encoding. */
    static final class UploadedBytes implements ExecutionInterceptor {
        final AtomicLong total = new AtomicLong();

        @Override
        public void afterMarshalling(Context.AfterMarshalling context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutObjectRequest || context.request() instanceof UploadPartRequest) {
                context.requestBody().flatMap(RequestBody::optionalContentLength).ifPresent(total::addAndGet);
            }
        }
    }

    private static StoragePath path(String text) {
        return StoragePath.parse(text);
    }

    private long write(String path, byte[] data, WriteMode mode) throws Exception {
        try (Upload upload = storage.openWrite(path(path), mode)) {
            writeFully(upload, data);
            return upload.commit();
        }
    }

    /** Writes in 64 KiB pieces, as the server's copy loop does. */
    private static void writeFully(Upload upload, byte[] data) throws Exception {
        for (int offset = 0; offset < data.length; offset += 65536) {
            ByteBuffer piece = ByteBuffer.wrap(data, offset, Math.min(65536, data.length - offset));
            while (piece.hasRemaining()) {
                upload.stream().write(piece);
            }
        }
    }

    private byte[] read(String path) throws Exception {
        try (ReadableByteChannel in = storage.openRead(path(path), 0)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(65536);
            while (in.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toByteArray();
        }
    }

    private Set<String> names(StoragePath dir) throws Exception {
        Set<String> names = new HashSet<>();
        try (Listing listing = storage.list(dir)) {
            listing.forEach(info -> names.add(info.name()));
        }
        return names;
    }

    private String etag(String key) {
        return raw.headObject(b -> b.bucket(bucket).key(key)).eTag().replace("\"", "");
    }

    private boolean exists(String key) {
        try {
            raw.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return false;
        }
    }

    private int pendingUploads() {
        return raw.listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
    }

    static byte[] bytes(int length) {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        return data;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] result = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }
}
