package dev.ferry.storage;

import java.nio.channels.ReadableByteChannel;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A tree of files and directories that Ferry serves. Implementations are shared by every session
 * and must be safe for concurrent use. Paths are always {@link StoragePath}s: validated, absolute
 * inside this storage, never raw client text.
 *
 * <p>The jail: a session never works on the whole storage but on {@link #scoped} view of its own
 * root, and the backend keeps every operation of that view inside that root, symbolic links
 * included. {@link StoragePath} rules out {@code ..}; links are the backend's to confine, because
 * only the backend sees them.
 */
public interface Storage extends AutoCloseable {

    /** What this storage can do beyond the basics; fixed for its lifetime. */
    Set<Capability> capabilities();

    /** The entry at {@code path}; the root always exists. */
    FileInfo stat(StoragePath path) throws StorageException;

    /** The entries of a directory (not {@code .} or {@code ..}), in no particular order. */
    Listing list(StoragePath dir) throws StorageException;

    /**
     * The names of a directory's entries (not {@code .} or {@code ..}), in no particular order,
     * without reading each entry's attributes: for NLST, which shows names only. It names every
     * entry {@link #list} shows, and may also name entries {@code list} leaves out because of what
     * they are (a link leading outside the view's root, a dangling link, a FIFO or device): a name
     * gives nothing of what such an entry leads to, and every other call on it fails as
     * {@code list} implies. Never upload temp files or names a {@link StoragePath} cannot hold. The
     * default takes the names from {@link #list}; a backend whose listing costs a look-up per
     * entry overrides it.
     */
    default NameListing names(StoragePath dir) throws StorageException {
        return NameListing.of(list(dir));
    }

    /**
     * Opens a file for reading from {@code offset}. Without {@link Capability#RANDOM_READ} a
     * non-zero offset is honoured by skipping.
     */
    ReadableByteChannel openRead(StoragePath path, long offset) throws StorageException;

    /**
     * {@link #stat}, then {@link #openRead} only if {@code proceed} accepts what stat found: for a
     * download that checks the file (its type, mode, size against a restart offset) before it opens
     * it. Empty when {@code proceed} said no, and nothing was opened. A directory {@code proceed}
     * accepts fails as {@link #openRead} fails for it. The default makes the two calls; a backend
     * that finds both in one look-up overrides it (local disk: one walk through the jail).
     */
    default Optional<ReadableByteChannel> openRead(StoragePath path, long offset, Predicate<FileInfo> proceed)
            throws StorageException {
        return proceed.test(stat(path)) ? Optional.of(openRead(path, offset)) : Optional.empty();
    }

    /** Starts an upload of unknown length; see {@link Upload} for what callers may rely on. */
    Upload openWrite(StoragePath path, WriteMode mode) throws StorageException;

    /**
     * {@link #openWrite(StoragePath, WriteMode)}, where the committed file gets the Unix mode
     * {@code permissions} (with {@link Capability#POSIX_ATTRIBUTES}). A backend with modes creates the
     * upload's temporary file with that mode already, so an upload that ends up private is never
     * readable by others while it is written (vsftpd opens uploads with the final mode, too). Empty:
     * the backend's default (a replaced file keeps its mode). The default ignores the mode, which is
     * right only for backends without {@link Capability#POSIX_ATTRIBUTES}.
     */
    default Upload openWrite(StoragePath path, WriteMode mode, OptionalInt permissions) throws StorageException {
        return openWrite(path, mode);
    }

    /** Creates one directory; its parent must exist. */
    void createDirectory(StoragePath dir) throws StorageException;

    /** Deletes a file (not a directory). */
    void delete(StoragePath file) throws StorageException;

    /** Deletes an empty directory. */
    void deleteDirectory(StoragePath dir) throws StorageException;

    /**
     * Moves a file (or, with {@link Capability#RENAME_DIRECTORY}, a directory), replacing an
     * existing file at {@code to}. A directory at {@code to} is never replaced: a file source fails
     * with {@link StorageException.IsADirectory}, a directory source with
     * {@link StorageException.AlreadyExists}. Moving a directory into itself fails.
     */
    void rename(StoragePath from, StoragePath to) throws StorageException;

    /** Sets the modification time ({@link Capability#SET_MODIFIED}). */
    void setModified(StoragePath path, Instant time) throws StorageException;

    /** Sets Unix permission bits ({@link Capability#POSIX_ATTRIBUTES}). */
    default void setPermissions(StoragePath path, int mode) throws StorageException {
        throw new StorageException.Unsupported("set permissions");
    }

    /**
     * A checksum the storage already keeps for a file ({@code CRC32}, {@code MD5}, {@code SHA-1},
     * {@code SHA-256}, {@code SHA-512}), as lower-case hex, so HASH need not read the file. Empty
     * when the storage has none for this file and algorithm; the server then computes it.
     */
    default Optional<String> storedChecksum(StoragePath path, String algorithm) throws StorageException {
        return Optional.empty();
    }

    /**
     * Turns a path from the configuration (anon_root, a user's home) into a storage path. The
     * default reads it as a {@code /}-separated path inside the storage; a backend with its own
     * notion of paths (local disk: absolute or relative to the working directory) overrides it.
     */
    default StoragePath configuredPath(String text) throws StorageException {
        return StoragePath.parse(text);
    }

    /**
     * A view of this storage whose {@code /} is {@code root}: every path given to the view and
     * every path it reports ({@link FileInfo#path()}, listings) is relative to {@code root}, and the
     * backend confines every operation of the view to {@code root}:
     * <ul>
     *   <li>A symbolic link (at any component, relative or absolute, through chains of links, with
     *       {@code ..} in its target) whose target stays inside {@code root} works as its target.</li>
     *   <li>A link whose target leaves {@code root} is as if absent: {@code stat}, {@code openRead}
     *       and {@code list} through it fail with {@link StorageException.NotFound}, listings leave it
     *       out, and no operation reads, writes, creates, moves or deletes anything outside {@code root}
     *       through it (those fail with {@code NotFound} or {@link StorageException.AccessDenied}).</li>
     *   <li>A view of a view is confined to the inner root.</li>
     * </ul>
     * The root need not exist yet: operations then fail with {@code NotFound}. Views are cheap (a
     * session makes one at login) and share this storage's resources; closing a view closes nothing.
     * A backend without links may return {@link SubtreeStorage#of}.
     */
    Storage scoped(StoragePath root) throws StorageException;

    /**
     * Where {@code path} really lives in this storage (or view), with every symbolic link on the way
     * resolved: the path access rules and name patterns must be matched on, so that a link cannot
     * lead round them. When the last component does not exist, its parent is resolved and the name
     * kept (the target of a new upload). Fails as {@link #scoped} describes for a link that leaves
     * the root, and with {@code NotFound} when a parent is missing. The default is for backends
     * without links: the path itself.
     */
    default StoragePath canonical(StoragePath path) throws StorageException {
        return path;
    }

    /**
     * Removes leftovers of interrupted uploads (crash, kill -9) below dir. The server calls it once at
     * startup, in the background, for each root it serves. Default: nothing to do.
     */
    default void recover(StoragePath dir) throws StorageException {
    }

    @Override
    void close();
}
