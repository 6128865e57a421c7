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
 * descendants of the root; a client's {@code %2e%2e} stays the literal name it is.
 */
final class VfsPaths {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final FileObject root;
    private final boolean jschQuoting;

    /**
     * @param jschQuoting the root is SFTP: JSch's ChannelSftp reads {@code *} and {@code ?} in every
     *                    remote path as glob patterns and {@code \} as their escape (ChannelSftp.isUnique
     *                    and unquote), so a file named {@code *} would match every file; such
     *                    characters are escaped with a backslash, which JSch removes again
     */
    VfsPaths(FileObject root, boolean jschQuoting) {
        this.root = root;
        this.jschQuoting = jschQuoting;
    }

    /** A new file object for the root (objects are never shared between operations; see VfsStorage). */
    FileObject root() throws FileSystemException {
        return root.getFileSystem().resolveFile(root.getName());
    }

    /** The file object for {@code path}, which may not exist; names with the temp prefix are refused. */
    FileObject resolve(StoragePath path) throws StorageException {
        checkName(path);
        try {
            if (path.isRoot()) {
                return root();
            }
            return root.resolveFile(encode(path), NameScope.DESCENDENT);
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

    static void checkName(StoragePath path) throws StorageException {
        for (String segment : path.segments()) {
            if (TempNames.isReserved(segment)) {
                throw new StorageException.InvalidName(path, "reserved for uploads in progress");
            }
        }
    }

    String encode(StoragePath path) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.segments()) {
            if (!encoded.isEmpty()) {
                encoded.append('/');
            }
            if (jschQuoting) {
                segment = segment.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?");
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
