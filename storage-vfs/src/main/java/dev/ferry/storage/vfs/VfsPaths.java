package dev.ferry.storage.vfs;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;
import org.apache.commons.vfs2.NameScope;
import org.apache.commons.vfs2.provider.UriParser;

/**
 * Maps storage paths onto file objects below the root. VFS parses the names it is given as URI
 * paths: it decodes {@code %xx}, turns {@code \} into {@code /}, reads {@code name:} at the start as
 * a scheme, and {@code !} separates a layered file system. So every ASCII character of a segment
 * other than letters, digits and {@code -._~} is %-encoded, and the resolution is scoped to
 * descendants of the root; a client's {@code %2e%2e} stays the literal name it is. That scope is a
 * check of names only: VFS follows every symbolic link on the path, so the paths given here are
 * canonical ones, with links already resolved and confined by {@link Jail}.
 */
final class VfsPaths {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final FileObject root;
    private final boolean sftp;

    /**
     * @param sftp the root is SFTP: JSch's ChannelSftp reads {@code *} and {@code ?} in every remote
     *             path as glob patterns (rm, rename, stat go through ChannelSftp.glob_remote), so DELE
     *             of a file named {@code *} would delete every file in the directory and a rename
     *             onto it would replace whichever single file matches. The backslash that JSch takes
     *             as their escape cannot reach it (see {@link #check}), so such names are refused.
     */
    VfsPaths(FileObject root, boolean sftp) {
        this.root = root;
        this.sftp = sftp;
    }

    /** A new file object for the root (objects are never shared between operations; see VfsStorage). */
    FileObject root() throws FileSystemException {
        return root.getFileSystem().resolveFile(root.getName());
    }

    /** The file object for {@code path}, which may not exist; names with the temp prefix are refused. */
    FileObject resolve(StoragePath path) throws StorageException {
        return resolve(path, root);
    }

    /** As {@link #resolve(StoragePath)}, on the root of one connection of the pool ({@link Connections}). */
    FileObject resolve(StoragePath path, FileObject onRoot) throws StorageException {
        check(path);
        try {
            if (path.isRoot()) {
                return onRoot.getFileSystem().resolveFile(onRoot.getName());
            }
            return onRoot.resolveFile(encode(path), NameScope.DESCENDENT);
        } catch (FileSystemException e) {
            throw VfsErrors.map(path, e);
        }
    }

    /** A temp sibling in {@code parent}, which the reserved-name check would refuse to resolve. */
    static FileObject child(FileObject parent, String name) throws FileSystemException {
        return parent.resolveFile(encodeSegment(name), NameScope.CHILD);
    }

    /** A child's name as the client sees it: VFS keeps names %-encoded. */
    static String baseName(FileObject file) {
        String encoded = file.getName().getBaseName();
        try {
            return UriParser.decode(encoded);
        } catch (FileSystemException e) {
            return encoded;
        }
    }

    /**
     * Refuses names this storage cannot hold as given: the temp prefix; a backslash, which VFS's name
     * parser decodes from {@code %5C} and then turns into a separator (UriParser.canonicalizePath, then
     * fixSeparators), so {@code a\b} would name {@code b} in folder {@code a}; and on SFTP the
     * wildcards {@code *} and {@code ?} (see the constructor).
     */
    void check(StoragePath path) throws StorageException {
        for (String segment : path.segments()) {
            if (TempNames.isReserved(segment)) {
                throw new StorageException.InvalidName(path, "reserved for uploads in progress");
            }
            if (segment.indexOf('\\') >= 0) {
                throw new StorageException.InvalidName(path, "Commons VFS reads a backslash as a path separator");
            }
            if (sftp && (segment.indexOf('*') >= 0 || segment.indexOf('?') >= 0)) {
                throw new StorageException.InvalidName(path, "the SFTP client reads * and ? as wildcards");
            }
        }
    }

    String encode(StoragePath path) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.segments()) {
            if (!encoded.isEmpty()) {
                encoded.append('/');
            }
            encoded.append(encodeSegment(segment));
        }
        return encoded.toString();
    }

    static String encodeSegment(String segment) {
        StringBuilder encoded = new StringBuilder(segment.length() + 8);
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            boolean plain = c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (plain) {
                encoded.append(c);
            } else {
                encoded.append('%').append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
            }
        }
        return encoded.toString();
    }
}
