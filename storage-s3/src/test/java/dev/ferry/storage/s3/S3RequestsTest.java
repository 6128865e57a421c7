package dev.ferry.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What a small-file RETR and STOR cost in S3 requests, calling the storage the way the server
 * does (RETR: stat, openRead; STOR: stat to tell WRITE from OVERWRITE, openWrite, commit). At a
 * distance every request is a round trip, so none may repeat what a listing or the cache already
 * answered. Each test prints its sequence.
 */
@Timeout(60)
class S3RequestsTest {

    @RegisterExtension
    static final SharedS3Proxy S3 = new SharedS3Proxy();

    private final Requests requests = new Requests();
    private String bucket;
    private S3Client raw;
    private S3Storage storage;

    @BeforeEach
    void open() {
        bucket = S3.newBucket();
        raw = S3Proxies.client(S3.uri());
        S3Client counted = S3Proxies.client(S3.uri(),
                ClientOverrideConfiguration.builder().addExecutionInterceptor(requests).build());
        storage = new S3Storage(counted, S3Proxies.config(S3.uri(), bucket));
        for (int i = 0; i < 3; i++) {
            String key = "d/f" + i;
            raw.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(new byte[64 * 1024]));
        }
    }

    @AfterEach
    void close() {
        storage.close();
        raw.close();
    }

    @Test
    void retrAfterAListingIsOneGet() throws Exception {
        try (Listing listing = storage.list(path("/d"))) {
            listing.forEach(info -> { });
        }
        requests.take();
        for (int i = 0; i < 3; i++) {
            retr("/d/f" + i);
            assertEquals(List.of("GET"), report("RETR after LIST", requests.take()));
        }
    }

    @Test
    void retrOfAnUnlistedFileIsOneHeadAndOneGet() throws Exception {
        requests.take();
        retr("/d/f0");
        assertEquals(List.of("HEAD", "GET"), report("RETR, nothing cached", requests.take()));
    }

    @Test
    void repeatedStatsAskOnce() throws Exception {
        requests.take();
        for (int i = 0; i < 5; i++) {
            storage.stat(path("/d/f1"));
        }
        assertEquals(List.of("HEAD"), report("5 x SIZE", requests.take()));
        retr("/d/f1");
        assertEquals(List.of("GET"), report("RETR after SIZE", requests.take()));
    }

    @Test
    void storIntoAKnownDirectoryDoesNotLookItUpAgain() throws Exception {
        storage.stat(path("/d"));
        requests.take();
        stor("/d/new0");
        // the new name: not a file (HEAD 404), not a directory (LIST of new0/); then the PUT
        assertEquals(List.of("HEAD", "LIST", "PUT"), report("STOR, new name", requests.take()));
        stor("/d/new1");
        assertEquals(List.of("HEAD", "LIST", "PUT"), report("next STOR, same directory", requests.take()));
        stor("/d/new1");
        assertEquals(List.of("HEAD", "PUT"), report("STOR over an existing file", requests.take()));
    }

    @Test
    void storOfAFileTheListingShowedIsOnePut() throws Exception {
        try (Listing listing = storage.list(path("/d"))) {
            listing.forEach(info -> { });
        }
        requests.take();
        stor("/d/f2");
        assertEquals(List.of("PUT"), report("STOR over a listed file", requests.take()));
    }

    private void retr(String name) throws Exception {
        FileInfo info = storage.stat(path(name));
        try (ReadableByteChannel in = storage.openRead(path(name), 0)) {
            ByteBuffer buffer = ByteBuffer.allocate(65536);
            long total = 0;
            for (int n; (n = in.read(buffer.clear())) >= 0; ) {
                total += n;
            }
            assertEquals(info.size(), total);
        }
    }

    private void stor(String name) throws Exception {
        try {
            storage.stat(path(name));
        } catch (StorageException.NotFound absent) {
            // a new file: the server checks the WRITE right instead of OVERWRITE
        }
        try (Upload upload = storage.openWrite(path(name), WriteMode.REPLACE)) {
            upload.stream().write(ByteBuffer.allocate(64 * 1024));
            upload.commit();
        }
    }

    private static List<String> report(String operation, List<String> sent) {
        System.out.printf("requests | %-28s | %d | %s%n", operation, sent.size(), String.join(", ", sent));
        return sent;
    }

    private static StoragePath path(String text) {
        return StoragePath.parse(text);
    }
}
