package dev.ferry.storage;

/** How an upload meets an existing file of the same name. */
public sealed interface WriteMode {

    /** STOR: replace the file, or create it. */
    record Replace() implements WriteMode {
    }

    /** STOU: create; fail with {@link StorageException.AlreadyExists} when the name exists. */
    record CreateNew() implements WriteMode {
    }

    /** APPE: add to the end, or create. */
    record Append() implements WriteMode {
    }

    /**
     * REST n + STOR: keep the first {@code offset} bytes and write from there (RFC 3659 section 5).
     * The offset may not exceed the current size: a larger one fails when the upload is opened
     * ({@link StorageException.NotFound} when there is no file and the offset is not 0, else
     * {@link StorageException.Failed}), so the server can refuse before any byte moves.
     */
    record ResumeAt(long offset) implements WriteMode {
        public ResumeAt {
            if (offset < 0) {
                throw new IllegalArgumentException("negative offset");
            }
        }
    }

    WriteMode REPLACE = new Replace();
    WriteMode CREATE_NEW = new CreateNew();
    WriteMode APPEND = new Append();
}
