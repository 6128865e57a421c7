package dev.ferry.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.relay.Direction;
import dev.ferry.relay.Fault;
import dev.ferry.relay.Link;
import dev.ferry.relay.Relay;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Read-ahead, resume and retries with the storage behind a {@link Relay} in front of S3Proxy:
 * GETs reset, stalled and refused midway, objects replaced under a download, upload parts reset.
 * The bucket is inspected and arranged with a client that bypasses the relay.
 */
@Timeout(60)
class S3FaultsTest {

    private static final int PART = 256 * 1024;
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(1);

    @RegisterExtension
    static final SharedS3Proxy S3 = new SharedS3Proxy();

    private final Requests requests = new Requests();
    private Relay relay;
    private String bucket;
    private S3Client raw;
    private S3Storage storage;

    @BeforeEach
    void open() throws IOException {
        bucket = S3.newBucket();
        raw = S3Proxies.client(S3.uri());
        relay = Relay.start(S3.uri(), Link.direct());
        storage = open(new S3Config.ReadAhead(PART, 4, 16L << 20), 5);
    }

    @AfterEach
    void close() {
        storage.close();
        relay.close();
        raw.close();
    }

    /** The storage through the relay, with 5 MiB upload parts and a 1 s socket timeout. */
    private S3Storage open(S3Config.ReadAhead readAhead, int retries) {
        S3Client client = S3Proxies.client(relay.uri(),
                ClientOverrideConfiguration.builder().addExecutionInterceptor(requests).build(), SOCKET_TIMEOUT);
        return new S3Storage(client, S3Proxies.builder(relay.uri(), bucket).readAhead(readAhead)
                .retries(new S3Config.Retries(retries, SOCKET_TIMEOUT)).build());
    }

    private void reopen(S3Config.ReadAhead readAhead, int retries) {
        storage.close();
        storage = open(readAhead, retries);
    }

    // ---- read-ahead ----

    @Test
    void aLargeReadIsParallelRangedGetsDeliveredInOrder() throws Exception {
        byte[] data = put("big", 10 * PART + 777);
        storage.stat(path("/big"));
        requests.take();
        assertArrayEquals(data, read("/big", 0));
        List<String> sent = requests.take();
        assertEquals(11, sent.size(), sent.toString());
        assertTrue(sent.stream().allMatch(line -> line.startsWith("GET bytes=")), sent.toString());
        assertEquals(64, storage.freeReadBuffers(), "every buffer is back");
    }

    @Test
    void withoutAStatTheFirstGetIsOnePartAndTellsTheSize() throws Exception {
        byte[] data = put("big", 6 * PART + 1);
        assertArrayEquals(data, read("/big", 0));
        List<String> sent = requests.take();
        assertEquals("GET bytes=0-" + (PART - 1), sent.getFirst());
        assertEquals(7, sent.size(), sent.toString());
    }

    @Test
    void readAheadFromAnOffset() throws Exception {
        byte[] data = put("big", 9 * PART + 5);
        storage.stat(path("/big"));
        int offset = 3 * PART + 1000;
        assertArrayEquals(Arrays.copyOfRange(data, offset, data.length), read("/big", offset));
        assertArrayEquals(Arrays.copyOfRange(data, offset, data.length), readFresh("/big", offset));
    }

    @Test
    void anObjectOfOnePartIsOneGetWithoutARange() throws Exception {
        byte[] data = put("small", PART);
        storage.stat(path("/small"));
        requests.take();
        assertArrayEquals(data, read("/small", 0));
        assertEquals(List.of("GET"), requests.take());
    }

    @Test
    void theBudgetBoundsMemoryAndASecondDownloadReadsWithOneGet() throws Exception {
        reopen(new S3Config.ReadAhead(PART, 4, 2L * PART), 5);
        byte[] first = put("a", 6 * PART);
        byte[] second = put("b", 6 * PART + 3);
        storage.stat(path("/a"));
        storage.stat(path("/b"));
        try (ReadableByteChannel a = storage.openRead(path("/a"), 0)) {
            assertEquals(0, storage.freeReadBuffers(), "the first download holds both buffers");
            requests.take();
            assertArrayEquals(second, read("/b", 0));
            assertEquals(List.of("GET"), requests.take("b"), "one plain GET, not a wait for buffers");
            assertArrayEquals(first, drain(a));
        }
        assertEquals(2, storage.freeReadBuffers());
    }

    @Test
    void closingADownloadMidwayStopsItsLanesAndFreesItsBuffers() throws Exception {
        put("big", 20 * PART);
        storage.stat(path("/big"));
        try (ReadableByteChannel in = storage.openRead(path("/big"), 0)) {
            in.read(ByteBuffer.allocate(10_000));
        }
        assertEquals(64, storage.freeReadBuffers());
    }

    // ---- resume ----

    @Test
    void aResetGetResumesFromTheByteItReached() throws Exception {
        reopen(S3Config.ReadAhead.OFF, 5);
        byte[] data = put("f", 8 << 20);
        relay.inject(Fault.Reset.once(Direction.TO_CLIENT, 3 << 20));
        assertArrayEquals(data, read("/f", 0));
        assertEquals(1, relay.resets());
        List<String> sent = requests.take();
        assertEquals(2, sent.size(), sent.toString());
        assertTrue(sent.get(1).startsWith("GET bytes="), "a ranged resume: " + sent);
    }

    @Test
    void aResetPartOfAReadAheadResumesToo() throws Exception {
        byte[] data = put("f", 12 * PART + 9);
        relay.inject(Fault.Reset.once(Direction.TO_CLIENT, 100_000));
        assertArrayEquals(data, read("/f", 0));
        assertEquals(1, relay.resets());
    }

    @Test
    void aStallLongerThanTheSocketTimeoutIsResumedOnAnotherConnection() throws Exception {
        reopen(S3Config.ReadAhead.OFF, 5);
        byte[] data = put("f", 4 << 20);
        relay.inject(new Fault.Stall(Direction.TO_CLIENT, 1 << 20, Duration.ofSeconds(5)));
        long start = System.nanoTime();
        assertArrayEquals(data, read("/f", 0));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 4.5, "resumed after the 1 s socket timeout, not after the 5 s stall: " + seconds);
    }

    @Test
    void refusedConnectionsAreWaitedOutByTheResume() throws Exception {
        reopen(S3Config.ReadAhead.OFF, 8);
        byte[] data = put("f", 32 << 20);
        storage.stat(path("/f"));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (ReadableByteChannel in = storage.openRead(path("/f"), 0)) {
            // read a little first: the rest is still on its way (the reader holds it back), so the
            // reset below cuts a live download, whatever the machine's speed
            readSome(in, got, 1 << 20);
            relay.inject(new Fault.Refuse(Duration.ofMillis(800)));
            relay.inject(Fault.Reset.once(Direction.TO_CLIENT, 0));
            got.write(drain(in));
        }
        assertArrayEquals(data, got.toByteArray());
        assertEquals(1, relay.resets());
    }

    @Test
    void anObjectReplacedDuringADownloadFailsItInsteadOfMixingVersions() throws Exception {
        reopen(S3Config.ReadAhead.OFF, 5);
        byte[] old = put("f", 24 << 20);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        IOException failure;
        try (ReadableByteChannel in = storage.openRead(path("/f"), 0)) {
            readSome(in, got, 1 << 20);
            raw.putObject(b -> b.bucket(bucket).key("f"), RequestBody.fromBytes(random(24 << 20, 99)));
            relay.inject(Fault.Reset.once(Direction.TO_CLIENT, 0));
            failure = assertThrows(IOException.class, () -> readSome(in, got, Integer.MAX_VALUE));
        }
        assertInstanceOf(ObjectChangedException.class, failure, failure.toString());
        byte[] prefix = got.toByteArray();
        assertTrue(prefix.length < old.length);
        assertArrayEquals(Arrays.copyOf(old, prefix.length), prefix, "only bytes of the old version");
    }

    @Test
    void anObjectReplacedDuringAReadAheadFailsItToo() throws Exception {
        byte[] old = put("f", 32 * PART);
        storage.stat(path("/f"));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (ReadableByteChannel in = storage.openRead(path("/f"), 0)) {
            readSome(in, got, PART / 2);
            raw.putObject(b -> b.bucket(bucket).key("f"), RequestBody.fromBytes(random(32 * PART, 99)));
            IOException failure = assertThrows(IOException.class, () -> readSome(in, got, Integer.MAX_VALUE));
            assertInstanceOf(ObjectChangedException.class, failure.getCause(), failure.toString());
        }
        byte[] prefix = got.toByteArray();
        assertArrayEquals(Arrays.copyOf(old, prefix.length), prefix, "only bytes of the old version");
    }

    @Test
    void aStaleCachedVersionIsNoticedAtTheOpenAndReadAfresh() throws Exception {
        put("f", 8 * PART);
        storage.stat(path("/f"));
        byte[] fresh = random(8 * PART, 5);
        raw.putObject(b -> b.bucket(bucket).key("f"), RequestBody.fromBytes(fresh));
        assertArrayEquals(fresh, read("/f", 0));
    }

    // ---- uploads ----

    @Test
    void aResetUploadPartIsSentAgainFromItsBuffer() throws Exception {
        byte[] data = random(12 << 20, 3);
        relay.inject(Fault.Reset.once(Direction.TO_SERVER, 3 << 20));
        assertEquals(data.length, write("/up", data));
        assertEquals(1, relay.resets());
        assertArrayEquals(data, raw.getObjectAsBytes(b -> b.bucket(bucket).key("up")).asByteArray());
        assertEquals(0, pendingUploads());
    }

    @Test
    void anUploadThatKeepsFailingIsAbortedAndLeavesNothingBehind() throws Exception {
        reopen(S3Config.ReadAhead.DEFAULT, 2);
        relay.inject(Fault.Reset.always(Direction.TO_SERVER, 1 << 20));
        assertThrows(Exception.class, () -> write("/up", random(16 << 20, 4)));
        relay.clear();
        assertTrue(relay.resets() >= 3, "parts were tried again: " + relay.resets());
        assertEquals(0, pendingUploads(), "the multipart upload was aborted");
        assertFalse(exists("up"));
    }

    /**
     * A part whose bytes stop on the way: the relay has taken the whole part (no window here), so
     * the client waits for S3's answer, the 1 s socket timeout ends the wait, and the part is sent
     * again from its buffer on another connection. (The socket timeout is a read timeout: had the
     * client's write blocked instead, the upload would wait for the link, or for ABOR or the data
     * connection timeout to abort it.)
     */
    @Test
    void anUploadPartStalledPastTheSocketTimeoutIsSentAgain() throws Exception {
        byte[] data = random(12 << 20, 6);
        relay.inject(new Fault.Stall(Direction.TO_SERVER, 2 << 20, Duration.ofSeconds(5)));
        long start = System.nanoTime();
        assertEquals(data.length, write("/up", data));
        assertTrue(System.nanoTime() - start < 4_500_000_000L, "not held for the whole 5 s stall");
        assertEquals(4, requests.take().stream().filter(line -> line.equals("PUT part")).count(),
                "3 parts, one of them twice");
        assertArrayEquals(data, raw.getObjectAsBytes(b -> b.bucket(bucket).key("up")).asByteArray());
        assertEquals(0, pendingUploads());
    }

    @Test
    void aSinglePutObjectResetMidwayIsSentAgain() throws Exception {
        byte[] data = random(3 << 20, 8);
        relay.inject(Fault.Reset.once(Direction.TO_SERVER, 1 << 20));
        assertEquals(data.length, write("/small", data));
        assertArrayEquals(data, raw.getObjectAsBytes(b -> b.bucket(bucket).key("small")).asByteArray());
    }

    // ---- helpers ----

    private static StoragePath path(String text) {
        return StoragePath.parse(text);
    }

    private byte[] put(String key, int length) {
        byte[] data = random(length, length);
        raw.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data));
        return data;
    }

    private static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private byte[] read(String path, long offset) throws Exception {
        try (ReadableByteChannel in = storage.openRead(path(path), offset)) {
            return drain(in);
        }
    }

    /** A read with nothing cached: the first GET has to find out the size. */
    private byte[] readFresh(String path, long offset) throws Exception {
        reopen(new S3Config.ReadAhead(PART, 4, 16L << 20), 5);
        return read(path, offset);
    }

    private static byte[] drain(ReadableByteChannel in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        readSome(in, out, Integer.MAX_VALUE);
        return out.toByteArray();
    }

    /** Reads up to {@code limit} bytes (or to the end) in 64 KiB pieces, as the server's copy loop does. */
    private static void readSome(ReadableByteChannel in, ByteArrayOutputStream out, int limit) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        int total = 0;
        while (total < limit) {
            buffer.clear().limit(Math.min(buffer.capacity(), limit - total));
            int n = in.read(buffer);
            if (n < 0) {
                return;
            }
            out.write(buffer.array(), 0, n);
            total += n;
        }
    }

    private long write(String path, byte[] data) throws Exception {
        try (Upload upload = storage.openWrite(path(path), WriteMode.REPLACE)) {
            for (int offset = 0; offset < data.length; offset += 65536) {
                ByteBuffer piece = ByteBuffer.wrap(data, offset, Math.min(65536, data.length - offset));
                while (piece.hasRemaining()) {
                    upload.stream().write(piece);
                }
            }
            return upload.commit();
        }
    }

    private int pendingUploads() {
        return raw.listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
    }

    private boolean exists(String key) {
        try {
            raw.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return false;
        }
    }

}
