package dev.ferry.storage;

import java.util.OptionalLong;

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

    /**
     * How many bytes of the existing file this write keeps, with the checks every backend makes
     * the same way: CreateNew fails when the name exists; ResumeAt needs the file (except at
     * offset 0) and may not go past its end.
     *
     * @param existingSize the size of the file now under the name, empty when there is none
     */
    default long bytesToKeep(StoragePath path, OptionalLong existingSize) throws StorageException {
        return switch (this) {
            case Replace replace -> 0;
            case CreateNew createNew -> {
                if (existingSize.isPresent()) {
                    throw new StorageException.AlreadyExists(path);
                }
                yield 0;
            }
            case Append append -> existingSize.orElse(0);
            case ResumeAt(long offset) -> {
                if (existingSize.isEmpty() && offset > 0) {
                    throw new StorageException.NotFound(path);
                }
                if (existingSize.isPresent() && offset > existingSize.getAsLong()) {
                    throw new StorageException.Failed(path, "Resume offset " + offset + " is beyond the end of "
                            + path + " (" + existingSize.getAsLong() + " bytes)", null);
                }
                yield offset;
            }
        };
    }

    WriteMode REPLACE = new Replace();
    WriteMode CREATE_NEW = new CreateNew();
    WriteMode APPEND = new Append();
}
