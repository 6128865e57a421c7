package dev.ferry.storage.s3;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A byte range of one object as a stream that survives a broken GET: when the connection resets,
 * stalls past the socket timeout or ends early, it asks again from the byte it reached, with
 * If-Match on the ETag of the first answer, so the bytes that follow are of the same version. A
 * 412 (or 404) means the object changed meanwhile, and the read fails with
 * {@link ObjectChangedException} instead of splicing two versions. Up to {@code attempts}
 * failures in a row without a byte of progress are tried again, with a backoff between them.
 *
 * <p>One thread reads; {@link #close()} may come from another (ABOR, a read-ahead shutting down)
 * and aborts the HTTP response, which also wakes a read blocked on it.
 */
final class ResumingStream extends InputStream {

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final int attempts;
    private long position;
    /** Exclusive end of the range this stream delivers; -1 until the first answer tells the size. */
    private long end;
    /** Exclusive end of what the current response carries (a response may cover only part of the range). */
    private long bodyEnd;
    private String etag;
    private long objectSize = -1;
    private int failures;
    private volatile ResponseInputStream<GetObjectResponse> body;
    private volatile boolean closed;

    private ResumingStream(S3Client s3, String bucket, String key, long from, long to, String etag, int attempts) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.position = from;
        this.end = to;
        this.etag = etag;
        this.attempts = attempts;
    }

    /**
     * Sends the first GET now, so that a missing object or a refused request fails the open (and
     * maps to the right FTP reply) rather than the transfer. {@code to} -1: to the end of the
     * object; {@code etag} null: whatever version answers first.
     *
     * @throws SdkException as the SDK reported it, for the caller to map
     */
    static ResumingStream open(S3Client s3, String bucket, String key, long from, long to, String etag,
                               int attempts) {
        ResumingStream stream = new ResumingStream(s3, bucket, key, from, to, etag, attempts);
        stream.adopt(stream.get());
        return stream;
    }

    /** A stream over [from, to) of the version {@code etag}; its first GET goes out on the first read. */
    static ResumingStream lazy(S3Client s3, String bucket, String key, long from, long to, String etag, int attempts) {
        return new ResumingStream(s3, bucket, key, from, to, etag, attempts);
    }

    /** The ETag of the version being read; null before the first answer. */
    String etag() {
        return etag;
    }

    /** The whole object's size as the first answer gave it; -1 before. */
    long objectSize() {
        return objectSize;
    }

    /** Goes on past the range it was opened for, to the end of the object (same version). */
    void extendToEnd() {
        if (objectSize >= 0) {
            end = objectSize;
        }
    }

    private ResponseInputStream<GetObjectResponse> get() {
        long from = position;
        long to = end;
        String match = etag;
        return s3.getObject(b -> {
            b.bucket(bucket).key(key).ifMatch(match);
            if (to >= 0) {
                b.range("bytes=" + from + "-" + (to - 1));
            } else if (from > 0) {
                b.range("bytes=" + from + "-");
            }
        });
    }

    /** Learns version, size and extent from a response that starts at {@link #position}. */
    private void adopt(ResponseInputStream<GetObjectResponse> response) {
        GetObjectResponse head = response.response();
        if (position > 0 && head.contentRange() == null) {
            response.abort();
            // a store that ignores Range would send the object from byte 0 here
            throw SdkClientException.create("S3 ignored the Range of a GET of " + key + " at byte " + position);
        }
        if (etag == null) {
            etag = head.eTag();
        }
        long length = head.contentLength() == null ? -1 : head.contentLength();
        String range = head.contentRange();
        if (range != null && range.lastIndexOf('/') > 0 && !range.endsWith("/*")) {
            // "bytes first-last/size"
            objectSize = Long.parseLong(range.substring(range.lastIndexOf('/') + 1));
        } else if (length >= 0 && position == 0) {
            objectSize = length;
        }
        bodyEnd = length >= 0 ? position + length : -1;
        if (end < 0) {
            end = objectSize >= 0 ? objectSize : bodyEnd;
        } else if (objectSize >= 0 && objectSize < end) {
            // a range past the end of a smaller object: S3 answers with what there is
            end = objectSize;
        }
        body = response;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (true) {
            if (closed) {
                throw new IOException("the download of " + key + " was closed");
            }
            if (end >= 0 && position >= end) {
                finish();
                return -1;
            }
            if (body == null) {
                reopen();
                continue;
            }
            try {
                int wanted = end >= 0 ? (int) Math.min(length, end - position) : length;
                int n = body.read(buffer, offset, wanted);
                if (n >= 0) {
                    position += n;
                    failures = 0;
                    return n;
                }
                if (end < 0) {
                    end = position;
                    continue;
                }
                if (bodyEnd >= 0 && position >= bodyEnd) {
                    // this response covered only the start of the range: ask for the rest
                    finish();
                    continue;
                }
                throw new EOFException("the response for " + key + " ended at byte " + position + " of " + end);
            } catch (IOException | SdkClientException | UncheckedIOException e) {
                if (closed) {
                    throw new IOException("the download of " + key + " was closed", e);
                }
                abortBody();
                failed(e);
            }
        }
    }

    /** Asks for the rest of the range from {@link #position}, pinned to the version read so far. */
    private void reopen() throws IOException {
        while (true) {
            try {
                adopt(get());
                if (closed) {
                    // closed while the request was on its way: nobody will read this response
                    abortBody();
                }
                return;
            } catch (AwsServiceException e) {
                int status = e.statusCode();
                if (status == 412 || status == 404) {
                    throw new ObjectChangedException(key, position, e);
                }
                if (!(status >= 500 || status == 429 || e.isThrottlingException())) {
                    throw new IOException("S3 refused to resume " + key + " at byte " + position + ": " + e.getMessage(), e);
                }
                failed(e);
            } catch (SdkClientException e) {
                if (closed) {
                    throw new IOException("the download of " + key + " was closed", e);
                }
                failed(e);
            }
        }
    }

    private void failed(Exception e) throws IOException {
        failures++;
        if (failures > attempts) {
            throw new IOException("Reading " + key + " from S3 failed at byte " + position + " after " + failures
                    + " attempts: " + e.getMessage(), e);
        }
        Backoff.pause(failures);
        if (closed) {
            throw new InterruptedIOException("the download of " + key + " was closed");
        }
    }

    /** The response is used up: close it normally, so its connection goes back to the pool. */
    private void finish() throws IOException {
        ResponseInputStream<GetObjectResponse> done = body;
        body = null;
        if (done != null) {
            done.close();
        }
    }

    private void abortBody() {
        ResponseInputStream<GetObjectResponse> broken = body;
        body = null;
        if (broken != null) {
            broken.abort();
        }
    }

    /**
     * Before the end, aborts the response instead of draining a possibly huge rest of the object
     * into the connection pool; at the end, releases it for reuse.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (end >= 0 && position >= end) {
            finish();
        } else {
            abortBody();
        }
    }
}
