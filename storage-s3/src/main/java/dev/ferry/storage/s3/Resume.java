package dev.ferry.storage.s3;

/**
 * What an upload keeps of the existing object before the client's bytes: nothing (STOR), a few
 * bytes read back into the first part buffer, or a server-side copy of the first bytes.
 */
sealed interface Resume {

    /** Bytes that come from the old object. */
    long length();

    /** A plain upload. */
    record Nothing() implements Resume {
        @Override
        public long length() {
            return 0;
        }
    }

    /**
     * Under 5 MiB kept: S3 rejects a copy part that small unless it is the last one, so the bytes are
     * read (GetObject with If-Match) and uploaded again inside the first part buffer.
     */
    record Reread(byte[] bytes) implements Resume {
        @Override
        public long length() {
            return bytes.length;
        }
    }

    /**
     * 5 MiB or more kept: UploadPartCopy of the first {@code length} bytes, guarded by If-Match so
     * that an overwrite in between fails the resume (412) instead of splicing two versions.
     */
    record Copy(String etag, long length, long sourceSize) implements Resume {
    }

    Resume NOTHING = new Nothing();
}
