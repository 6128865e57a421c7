package dev.ferry.storage.s3;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.StoragePath;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.BiConsumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One directory as a cursor over ListObjectsV2 pages (delimiter {@code /}): it holds one page (at
 * most 1,000 keys) at a time and fetches the next when the caller has consumed it, so LIST of a
 * prefix with 100,000 objects streams to the data connection in constant memory.
 *
 * <p>Common prefixes are subdirectories; objects are files, except the directory's own marker
 * (its key equals the prefix). A common prefix has no time of its own, so it shows
 * {@code directoryTime} (the server's start), never 1970.
 */
final class S3Listing implements Listing {

    private final S3Client s3;
    private final String bucket;
    private final Keys keys;
    private final StoragePath dir;
    private final int pageSize;
    private final Instant directoryTime;
    private final BiConsumer<FileInfo, String> seen;
    private boolean iterated;

    S3Listing(S3Client s3, String bucket, Keys keys, StoragePath dir, int pageSize, Instant directoryTime,
              BiConsumer<FileInfo, String> seen) {
        this.s3 = s3;
        this.bucket = bucket;
        this.keys = keys;
        this.dir = dir;
        this.pageSize = pageSize;
        this.directoryTime = directoryTime;
        this.seen = seen;
    }

    @Override
    public Iterator<FileInfo> iterator() {
        if (iterated) {
            throw new IllegalStateException("a listing is read once");
        }
        iterated = true;
        return new Pages();
    }

    @Override
    public void close() {
        // nothing held between pages: each page is one complete HTTP exchange
    }

    private final class Pages implements Iterator<FileInfo> {
        private final ArrayDeque<FileInfo> page = new ArrayDeque<>();
        private String continuation;
        private boolean last;

        @Override
        public boolean hasNext() {
            while (page.isEmpty() && !last) {
                fetch();
            }
            return !page.isEmpty();
        }

        @Override
        public FileInfo next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.removeFirst();
        }

        private void fetch() {
            String prefix = keys.directory(dir);
            ListObjectsV2Response response;
            try {
                response = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).delimiter("/")
                        .maxKeys(pageSize).continuationToken(continuation));
            } catch (SdkException e) {
                throw new ListingFailure(S3Errors.map(dir, e));
            }
            for (CommonPrefix common : response.commonPrefixes()) {
                add(keys.child(dir, common.prefix()).map(p -> FileInfo.directory(p, directoryTime)), "");
            }
            for (S3Object object : response.contents()) {
                if (object.key().equals(prefix)) {
                    continue;
                }
                add(keys.child(dir, object.key()).map(p -> FileInfo.file(p, object.size(), object.lastModified())),
                        object.eTag());
            }
            continuation = response.nextContinuationToken();
            last = !Boolean.TRUE.equals(response.isTruncated()) || continuation == null;
        }

        private void add(Optional<FileInfo> entry, String etag) {
            entry.ifPresent(info -> {
                page.addLast(info);
                seen.accept(info, etag);
            });
        }
    }
}
