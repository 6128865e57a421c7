package dev.ferry.storage.s3;

import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Renames a directory the only way S3 allows: copy every key under the old prefix to the new one,
 * then delete the originals, one listing page (up to 1,000 keys) at a time so memory stays constant.
 * Only keys that were copied are deleted. Not atomic: a failure midway leaves part of the tree
 * under each name.
 */
record DirectoryMove(S3Client s3, String bucket, Copier copier) {

    void move(String fromPrefix, String toPrefix) {
        String continuation = null;
        do {
            String token = continuation;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket).prefix(fromPrefix).continuationToken(token));
            for (S3Object object : page.contents()) {
                copier.copy(object.key(), toPrefix + object.key().substring(fromPrefix.length()), object.size());
            }
            if (!page.contents().isEmpty()) {
                List<ObjectIdentifier> copied = page.contents().stream()
                        .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
                // DeleteObjects takes up to 1,000 keys, one listing page
                s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(copied).quiet(true)));
            }
            continuation = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (continuation != null);
    }
}
