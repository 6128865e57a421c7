package dev.ferry.storage.vfs;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.util.List;

/**
 * The root a storage or a view of it is confined to, and the way from the view's paths to canonical
 * base paths (below the VFS root, every link resolved). The storage itself is the jail of the VFS root;
 * {@link #inner} makes a view's, whose root is resolved inside the outer jail, so a view of a view stays
 * inside both.
 *
 * <p>The root is resolved once, on first use, and kept: a view lives for one FTP login, and a root that
 * was found stays found. A root that does not exist (yet) is looked for again on every operation.
 */
final class Jail {

    /** Null on a backend without links: paths then map by name. */
    private final LinkWalk walk;
    private final Jail outer;
    /** The root as the outer jail names it. */
    private final StoragePath root;
    /** The root as a canonical base path; null until found. */
    private volatile StoragePath found;

    private Jail(LinkWalk walk, Jail outer, StoragePath root, StoragePath found) {
        this.walk = walk;
        this.outer = outer;
        this.root = root;
        this.found = found;
    }

    /** The jail of the VFS root itself, which the storage checked at open. */
    static Jail whole(Links links) {
        return new Jail(links.exist() ? new LinkWalk(links) : null, null, StoragePath.ROOT, StoragePath.ROOT);
    }

    /** The jail of a view whose root is {@code root} of this one. */
    Jail inner(StoragePath root) {
        return new Jail(walk, this, root, null);
    }

    /** The root as a canonical base path; NotFound while it is missing or not a directory. */
    StoragePath root() throws StorageException {
        StoragePath known = found;
        if (known != null) {
            return known;
        }
        if (walk == null) {
            known = root.under(outer.root());
        } else {
            StoragePath outerRoot = outer.root();
            LinkWalk.Resolved resolved;
            try {
                resolved = walk.resolve(outerRoot, outerRoot, root.segments(), StoragePath.ROOT);
            } catch (StorageException.NotADirectory e) {
                throw new StorageException.NotFound(StoragePath.ROOT);
            }
            if (!(resolved.node() instanceof Node.Directory)) {
                throw new StorageException.NotFound(StoragePath.ROOT);
            }
            known = resolved.path();
        }
        found = known;
        return known;
    }

    /**
     * Where {@code path} of this jail lives: a canonical base path inside the root. When its last name
     * does not exist, the parent is resolved and the name kept. A link on the way that leaves the root
     * makes the path NotFound.
     */
    StoragePath locate(StoragePath path) throws StorageException {
        StoragePath base = root();
        if (walk == null) {
            return path.under(base);
        }
        return walk.resolve(base, base, path.segments(), path).path();
    }

    /** The target of the link {@code name} in the canonical directory {@code dir}; {@code shown} for errors. */
    StoragePath follow(StoragePath dir, String name, StoragePath shown) throws StorageException {
        return walk.resolve(root(), dir, List.of(name), shown).path();
    }

    /** A canonical base path inside the root as this jail names it. */
    StoragePath toView(StoragePath base) throws StorageException {
        return base.relativeTo(root());
    }
}
