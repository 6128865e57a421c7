package dev.ferry.storage.s3;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * HeadBucket at startup, so a wrong bucket, key or endpoint stops the server with a sentence the
 * operator can act on instead of failing the first client command with a 451.
 */
final class BucketCheck {

    private BucketCheck() {
    }

    static void check(S3Client s3, S3Config config) throws StorageException {
        String where = config.endpoint().map(uri -> " at " + uri).orElse("");
        try {
            s3.headBucket(b -> b.bucket(config.bucket()));
        } catch (AwsServiceException e) {
            String message = switch (e.statusCode()) {
                case 404 -> "S3 bucket '" + config.bucket() + "' does not exist" + where + " (s3_bucket)";
                case 403 -> "Access to S3 bucket '" + config.bucket() + "'" + where + " is denied: check"
                        + " s3_access_key_id/s3_secret_access_key, s3_profile or the credentials of the default"
                        + " chain, and the bucket policy";
                case 301 -> "S3 bucket '" + config.bucket() + "' is in another region"
                        + e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region")
                                .map(r -> " (" + r + ")").orElse("") + ": set s3_region";
                case 400 -> "S3" + where + " refused the request for bucket '" + config.bucket()
                        + "' (400): check s3_region and s3_path_style";
                default -> "S3 bucket '" + config.bucket() + "'" + where + " cannot be used: "
                        + e.statusCode() + " " + S3Errors.code(e);
            };
            throw new StorageException.Failed(StoragePath.ROOT, message, e);
        } catch (SdkClientException e) {
            if (String.valueOf(e.getMessage()).contains("credentials")) {
                throw new StorageException.Failed(StoragePath.ROOT, "No S3 credentials: set s3_access_key_id and"
                        + " s3_secret_access_key or s3_profile, or provide them to the SDK's default chain"
                        + " (environment, ~/.aws, instance role): " + e.getMessage(), e);
            }
            throw new StorageException.Failed(StoragePath.ROOT, "Cannot reach the S3 endpoint"
                    + config.endpoint().map(uri -> " " + uri + " (s3_endpoint)").orElse("")
                    + " for bucket '" + config.bucket() + "': " + e.getMessage(), e);
        }
    }
}
