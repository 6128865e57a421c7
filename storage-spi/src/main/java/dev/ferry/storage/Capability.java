package dev.ferry.storage;

/**
 * What a backend can do beyond the basics (stat, list, sequential read, replace-write, mkdir,
 * delete). The server derives FEAT, HELP and its 502 replies from this set, so a client is never
 * offered something the storage cannot do.
 */
public enum Capability {
    /** {@code openRead} honours a non-zero offset without reading the skipped bytes. */
    RANDOM_READ,
    /** {@link WriteMode.Append} works. */
    APPEND,
    /** {@link WriteMode.ResumeAt} works. */
    WRITE_AT_OFFSET,
    /** {@link WriteMode.CreateNew} fails atomically when the name exists. */
    EXCLUSIVE_CREATE,
    /** A committed upload replaces the target in one step: readers see old or new bytes, never a mix. */
    ATOMIC_REPLACE,
    /** Files can be renamed. */
    RENAME,
    /** Directories can be renamed. */
    RENAME_DIRECTORY,
    /** Copies happen inside the storage without streaming the bytes through Ferry. */
    SERVER_SIDE_COPY,
    /** An empty directory exists on its own (not only as the prefix of its files). */
    EMPTY_DIRECTORIES,
    /** The modification time of a file can be set (MFMT). */
    SET_MODIFIED,
    /** Unix permission bits exist and can be changed (SITE CHMOD). */
    POSIX_ATTRIBUTES
}
