package dev.ferry.storage.s3;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * Server-side copy of one object, for RNFR/RNTO. CopyObject up to the threshold (at most 5 GiB,
 * the CopyObject limit); above it a multipart copy of equal UploadPartCopy ranges run in
 * parallel, each a short request, so renaming a huge object never rides on one long HTTP call.
 * Content type and user metadata: CopyObject copies them (MetadataDirective COPY, the default); a
 * multipart copy takes them from the source's HEAD.
 */
final class Copier {

    private final S3Client s3;
    private final String bucket;
    private final WriteOptions options;
    private final long threshold;

    Copier(S3Client s3, String bucket, WriteOptions options, long threshold) {
        this.s3 = s3;
        this.bucket = bucket;
        this.options = options;
        this.threshold = threshold;
    }

    void copy(String from, String to, long size) {
        if (size <= threshold) {
            s3.copyObject(b -> {
                b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to);
                if (!options.storageClass().isEmpty()) {
                    b.storageClass(options.storageClass());
                }
                if (!options.encryption().algorithm().isEmpty()) {
                    b.serverSideEncryption(options.encryption().algorithm());
                }
                if (!options.encryption().kmsKeyId().isEmpty()) {
                    b.ssekmsKeyId(options.encryption().kmsKeyId());
                }
            });
        } else {
            copyInParts(from, to);
        }
    }

    private void copyInParts(String from, String to) {
        var head = s3.headObject(b -> b.bucket(bucket).key(from));
        String uploadId = s3.createMultipartUpload(b -> {
            b.bucket(bucket).key(to).contentType(head.contentType()).metadata(head.metadata());
            options.apply(b);
        }).uploadId();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                List<Future<CompletedPart>> futures = new ArrayList<>();
                List<CopyRanges.Range> ranges = CopyRanges.of(head.contentLength(), threshold).ranges();
                for (int i = 0; i < ranges.size(); i++) {
                    int number = i + 1;
                    CopyRanges.Range range = ranges.get(i);
                    futures.add(executor.submit(() -> {
                        // If-Match: every range comes from the same version of the source
                        UploadPartCopyResponse response = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(from)
                                .copySourceIfMatch(head.eTag()).copySourceRange(range.header())
                                .destinationBucket(bucket).destinationKey(to).uploadId(uploadId).partNumber(number));
                        return CompletedPart.builder().partNumber(number).eTag(response.copyPartResult().eTag())
                                .checksumCRC32(response.copyPartResult().checksumCRC32()).build();
                    }));
                }
                List<CompletedPart> parts = new ArrayList<>();
                for (Future<CompletedPart> future : futures) {
                    parts.add(future.get());
                }
                parts.sort(Comparator.comparing(CompletedPart::partNumber));
                s3.completeMultipartUpload(b -> b.bucket(bucket).key(to).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                executor.shutdownNow();
                abort(to, uploadId);
                throw AbortedException.builder().message("interrupted while copying " + from).build();
            } catch (ExecutionException | RuntimeException e) {
                // no part may still run when the upload is aborted
                executor.shutdownNow();
                executor.close();
                abort(to, uploadId);
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                if (cause instanceof SdkException sdk) {
                    throw sdk;
                }
                throw new IllegalStateException("copy of " + from + " failed", cause);
            }
        }
    }

    private void abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException ignored) {
            // the janitor and the lifecycle rule remove what is left
        }
    }
}
