package dev.ferry.storage.s3;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the first {@code length} bytes of an object into equal byte ranges of at most
 * {@code maxChunk} bytes, one per UploadPartCopy. Equal, not "full chunks then a remainder": S3
 * (and S3Proxy) reject a non-last part under 5 MiB with EntityTooSmall at Complete, and a
 * 5+5+2 GiB-style split ends in a small middle part once tail parts follow (notes/s3-streaming.md
 * section 3).
 */
record CopyRanges(List<Range> ranges) {

    record Range(long first, long last) {
        /** The x-amz-copy-source-range value (UploadPartCopy API reference). */
        String header() {
            return "bytes=" + first + "-" + last;
        }

        long length() {
            return last - first + 1;
        }
    }

    static CopyRanges of(long length, long maxChunk) {
        if (length <= 0) {
            return new CopyRanges(List.of());
        }
        long count = (length + maxChunk - 1) / maxChunk;
        long chunk = (length + count - 1) / count;
        List<Range> ranges = new ArrayList<>();
        for (long first = 0; first < length; first += chunk) {
            ranges.add(new Range(first, Math.min(length, first + chunk) - 1));
        }
        return new CopyRanges(List.copyOf(ranges));
    }
}
