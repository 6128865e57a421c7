package dev.ferry.storage.vfs;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;

/**
 * The symbolic links of the backend behind a VFS root, read without following them. Commons VFS
 * follows every link it meets ({@code NameScope.DESCENDENT} only compares names; an SFTP server
 * follows links on its side), so {@link LinkWalk} resolves links itself with these primitives before
 * any path is given to VFS. Paths here are base paths: relative to the VFS root.
 */
interface Links {

    /** False for backends without links (ram, archives, WebDAV, FTP as seen through VFS): paths map as they are. */
    boolean exist();

    /** Starts one walk's lstat calls (over SFTP: one borrowed channel for all of them). */
    Lookup lookup() throws StorageException;

    /**
     * An absolute link target as the names below the VFS root it leads to ({@code .} and empty names
     * dropped, {@code ..} kept for the walk), or empty when it does not start at the root.
     */
    Optional<List<String>> belowRoot(String absoluteTarget);

    /**
     * The entries of the directory {@code dir} (a base path with no link in it; {@code folder} is its
     * file object), each marked as a link or not, in one listing call.
     */
    List<Child> children(StoragePath dir, FileObject folder, Entries entries) throws StorageException;

    /** lstat calls of one walk; close to give back what they hold. */
    interface Lookup extends AutoCloseable {
        Node lstat(StoragePath path) throws StorageException;

        @Override
        default void close() {
        }
    }

    /** One directory entry: a link's reader is never used (its target is read instead). */
    record Child(String name, boolean link, Reader reader) {
    }

    /** Reads an entry that is not a link, as the given path. */
    interface Reader {
        FileInfo read(StoragePath path) throws StorageException;
    }

    /** Children through VFS; {@code links} names the entries that are links. */
    static List<Child> fromVfs(StoragePath dir, FileObject folder, Entries entries, LinkTest links)
            throws StorageException {
        try {
            FileObject[] objects = folder.getChildren();
            List<Child> children = new ArrayList<>(objects.length);
            for (FileObject child : objects) {
                String name = VfsPaths.baseName(child);
                children.add(new Child(name, links.isLink(name), path -> entries.read(path, child)));
            }
            return children;
        } catch (FileSystemException e) {
            throw VfsErrors.map(dir, e);
        }
    }

    /** Whether a child (by name) of the directory being listed is a link. */
    interface LinkTest {
        boolean isLink(String name);
    }

    /**
     * The names of {@code target} below the first of {@code anchors} (a root's absolute path as names)
     * it starts with; {@code .} and empty names are dropped first, as they name nothing.
     */
    static Optional<List<String>> below(List<List<String>> anchors, String target) {
        List<String> names = names(target);
        for (List<String> anchor : anchors) {
            if (names.size() >= anchor.size() && names.subList(0, anchor.size()).equals(anchor)) {
                return Optional.of(names.subList(anchor.size(), names.size()));
            }
        }
        return Optional.empty();
    }

    /** A slash-separated path as its names, without {@code .} and empty ones. */
    static List<String> names(String path) {
        List<String> names = new ArrayList<>();
        for (String name : path.split("/")) {
            if (!name.isEmpty() && !name.equals(".")) {
                names.add(name);
            }
        }
        return names;
    }
}
