package dev.ferry.storage.s3;

import java.time.Instant;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Finds and aborts incomplete multipart uploads under a prefix. A killed server aborts nothing,
 * and S3 keeps the parts of an incomplete upload (and bills them) until someone aborts it.
 */
record Janitor(S3Client s3, String bucket, LiveUploads live) {

    /** Aborts uploads under {@code prefix} initiated before {@code cutoff} and not open here. */
    int abortStale(String prefix, Instant cutoff) {
        int aborted = 0;
        String keyMarker = null;
        String uploadIdMarker = null;
        while (true) {
            String key = keyMarker;
            String id = uploadIdMarker;
            ListMultipartUploadsResponse page = s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)
                    .keyMarker(key).uploadIdMarker(id));
            for (MultipartUpload upload : page.uploads()) {
                if (live.contains(upload.uploadId()) || upload.initiated() == null
                        || !upload.initiated().isBefore(cutoff)) {
                    continue;
                }
                try {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                    aborted++;
                } catch (SdkException e) {
                    if (!S3Errors.isNotFound(e)) {
                        throw e;
                    }
                }
            }
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                return aborted;
            }
            keyMarker = page.nextKeyMarker();
            uploadIdMarker = page.nextUploadIdMarker();
        }
    }
}
