package dev.ferry.storage.vfs;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a path the way the kernel does (path_resolution(7)), one name at a time with lstat, so that
 * every symbolic link on the way is seen, and its target checked against the root, before VFS is given
 * the path. The result is canonical: no link in it, every name but the last an existing directory.
 *
 * <p>Confinement: the walk keeps the directories it has passed as names below the VFS root. A {@code ..}
 * (from a link target) that would climb above the jail's root, or an absolute target that does not
 * start at the jail's root, leaves it, and the path is then as if absent ({@code NotFound}), even when a
 * later name would come back in: a chroot would never have let it out. An absolute target is read in
 * the backend host's namespace (local disk, or the SFTP server's paths), which is where it was written.
 */
final class LinkWalk {

    private static final Logger LOG = LoggerFactory.getLogger(LinkWalk.class);
    /** Linux's MAXSYMLINKS: more links than this on one path is a loop. */
    static final int MAX_LINKS = 40;

    /** A canonical base path and what lstat found there last (MISSING, DIRECTORY or FILE). */
    record Resolved(StoragePath path, Node node) {
    }

    private final Links links;

    LinkWalk(Links links) {
        this.links = links;
    }

    /**
     * Resolves {@code names} starting in {@code from}, a canonical directory at or below {@code root}.
     *
     * @param asked the path the caller named, for errors (never a base path: that would tell a client
     *              where its root lies)
     */
    Resolved resolve(StoragePath root, StoragePath from, List<String> names, StoragePath asked)
            throws StorageException {
        Deque<String> todo = new ArrayDeque<>(names);
        List<String> done = new ArrayList<>(from.segments());
        int depth = root.segments().size();
        Node node = Node.DIRECTORY;
        int followed = 0;
        try (Links.Lookup lookup = links.lookup()) {
            while (!todo.isEmpty()) {
                String name = todo.removeFirst();
                if (name.isEmpty() || name.equals(".")) {
                    continue;
                }
                switch (node) {
                    case Node.Missing missing -> throw new StorageException.NotFound(asked);
                    case Node.File file -> throw new StorageException.NotADirectory(asked);
                    default -> {
                    }
                }
                if (name.equals("..")) {
                    if (done.size() <= depth) {
                        throw outside(asked, "'..' above the root");
                    }
                    // done has no link in it, so its lexical parent is its real parent
                    done.removeLast();
                    continue;
                }
                node = lstat(lookup, path(done, name, asked), asked);
                if (!(node instanceof Node.Link link)) {
                    done.add(name);
                    continue;
                }
                if (++followed > MAX_LINKS) {
                    throw outside(asked, "more than " + MAX_LINKS + " links");
                }
                if (link.target().isEmpty()) {
                    throw new StorageException.NotFound(asked);
                }
                List<String> target = Links.names(link.target());
                if (link.target().startsWith("/")) {
                    List<String> below = links.belowRoot(link.target())
                            .orElseThrow(() -> outside(asked, "an absolute target outside the storage"));
                    if (below.size() < depth || !below.subList(0, depth).equals(root.segments())) {
                        throw outside(asked, "an absolute target outside the root");
                    }
                    done = new ArrayList<>(root.segments());
                    target = below.subList(depth, below.size());
                }
                for (int i = target.size() - 1; i >= 0; i--) {
                    todo.addFirst(target.get(i));
                }
                // done is the directory holding the link, or the root
                node = Node.DIRECTORY;
            }
        }
        return new Resolved(path(done, null, asked), node);
    }

    /** A name the backend cannot be asked about (from a link target) makes the path as if absent. */
    private static Node lstat(Links.Lookup lookup, StoragePath path, StoragePath asked) throws StorageException {
        try {
            return lookup.lstat(path);
        } catch (StorageException.InvalidName e) {
            throw new StorageException.NotFound(asked);
        }
    }

    private static StoragePath path(List<String> done, String name, StoragePath asked) throws StorageException {
        try {
            StoragePath path = new StoragePath(done);
            return name == null ? path : path.child(name);
        } catch (StoragePath.InvalidPathException e) {
            // a name from a link target that no storage path can hold (CR, LF)
            throw new StorageException.NotFound(asked);
        }
    }

    private static StorageException outside(StoragePath asked, String why) {
        LOG.debug("{} is refused: a link on the way leads out of the root ({})", asked, why);
        return new StorageException.NotFound(asked);
    }
}
