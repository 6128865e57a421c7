package dev.ferry.storage.s3;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK failures into the sealed StorageException kinds. The SDK has already retried what it
 * considers retryable (throttling, 5xx, connection resets) by the time an exception reaches us, so
 * those become {@link StorageException.Transient}: the server answers 451 and the client may try
 * again later.
 */
final class S3Errors {

    private S3Errors() {
    }

    static StorageException map(StoragePath path, SdkException e) {
        return switch (e) {
            case AwsServiceException service -> service(path, service);
            // interrupted by an abort (ABOR, shutdown): the caller is already going away
            case AbortedException aborted -> new StorageException.Failed(path, "S3 request aborted", e);
            // no HTTP answer at all: connection refused or reset, timeout, no pooled connection free
            case SdkClientException client -> new StorageException.Transient(path,
                    "S3 request failed before an answer: " + client.getMessage(), e);
            default -> new StorageException.Failed(path, e.getMessage(), e);
        };
    }

    private static StorageException service(StoragePath path, AwsServiceException e) {
        int status = e.statusCode();
        String code = code(e);
        if (e.isThrottlingException() || status >= 500 || status == 429) {
            return new StorageException.Transient(path, "S3 is busy or failing (" + status + " " + code + ")", e);
        }
        return switch (status) {
            case 404 -> new StorageException.NotFound(path);
            case 403 -> new StorageException.AccessDenied(path, "S3 " + code);
            // If-Match / If-None-Match lost: someone else wrote the key meanwhile
            case 412 -> new StorageException.Failed(path, path + " changed while Ferry was writing it (" + code + ")", e);
            default -> switch (code) {
                case "EntityTooLarge", "QuotaExceeded" -> new StorageException.InsufficientSpace(path, e);
                case "KeyTooLongError" -> new StorageException.InvalidName(path, "the S3 key is longer than 1024 bytes");
                default -> new StorageException.Failed(path, "S3 refused the request (" + status + " " + code + "): "
                        + e.getMessage(), e);
            };
        };
    }

    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
                : e.awsErrorDetails().errorCode();
    }

    /**
     * Worth sending again: no answer at all (reset, refused, timed out), S3 busy or failing, or S3's
     * RequestTimeout (a 400 sent when the request body stopped flowing). Not an abort: that is
     * someone stopping the transfer on purpose.
     */
    static boolean isRetryable(SdkException e) {
        return switch (e) {
            case AbortedException aborted -> false;
            case SdkClientException client -> !(client.getCause() instanceof InterruptedException);
            case AwsServiceException service -> service.statusCode() >= 500 || service.statusCode() == 429
                    || service.isThrottlingException() || code(service).equals("RequestTimeout");
            default -> false;
        };
    }

    static boolean isNotFound(SdkException e) {
        return e instanceof AwsServiceException service && service.statusCode() == 404;
    }

    static boolean isPreconditionFailed(SdkException e) {
        return e instanceof AwsServiceException service && service.statusCode() == 412;
    }
}
