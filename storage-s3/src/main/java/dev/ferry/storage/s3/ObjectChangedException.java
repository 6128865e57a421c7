package dev.ferry.storage.s3;

import java.io.IOException;

/**
 * The object was replaced or deleted while it was being read: its ETag no longer matches the one
 * the read started with (412), or it is gone (404). The read stops here rather than continue with
 * bytes of another version; the server answers 451 and the client may download again.
 */
final class ObjectChangedException extends IOException {

    private static final long serialVersionUID = 1L;

    ObjectChangedException(String key, long position, Throwable cause) {
        super("s3 object " + key + " changed or disappeared during the download (at byte " + position
                + "); not mixing two versions", cause);
    }
}
