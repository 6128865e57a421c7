package dev.ferry.server.session;

import dev.ferry.server.access.Policy;
import dev.ferry.server.access.Right;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The storage as the logged-in user sees it: the view scoped to their root (the jail), their
 * working directory, and the policy their rights come from. Confined to the session's control
 * thread; a login or logout replaces all of it at once ({@link #enter}).
 */
public final class UserView {

    /** The user's root inside the storage; a user can never leave it (chroot). */
    private StoragePath root = StoragePath.ROOT;
    /**
     * The storage as this session sees it: a view scoped to {@link #root}, which the backend
     * confines (links included); null before login, when no command may touch files.
     */
    private Storage view;
    /** The working directory as the client sees it (relative to root). */
    private StoragePath cwd = StoragePath.ROOT;
    private Policy policy = Policy.NONE;
    /** Directories whose message_file this session has shown; vsftpd shows each one once. */
    private final Set<StoragePath> visited = new HashSet<>();

    UserView() {
    }

    /** A login or logout: the new view, root, working directory and rights, with no directory visited yet. */
    void enter(Storage view, StoragePath root, StoragePath cwd, Policy policy) {
        this.view = view;
        this.root = root;
        this.cwd = cwd;
        this.policy = policy;
        this.visited.clear();
    }

    /** The session's view of the storage, whose {@code /} is the user's root (the jail). */
    public Storage storage() {
        if (view == null) {
            throw new IllegalStateException("no storage before login");
        }
        return view;
    }

    public Policy policy() {
        return policy;
    }

    /** Whether the message of {@code directory} is due: true the first time only. */
    public boolean firstVisit(StoragePath directory) {
        return visited.size() < 10_000 && visited.add(directory);
    }

    /** Whether the session may write anywhere at all (write_enable and its anonymous switches). */
    public boolean writable() {
        return policy.writable();
    }

    /**
     * Whether the policy allows {@code right} on {@code visible} (a path as the client sees it): on
     * the path as typed and, where a link may lead elsewhere, on where it really lives, so that a
     * link cannot lead round an access rule or a deny_file name.
     */
    public boolean allows(Right right, StoragePath visible) {
        return seenAs(visible).stream().allMatch(path -> !policy.denied(path) && policy.allows(right, storagePath(path)));
    }

    /** Whether deny_file leaves {@code visible} in reach, typed and where it really lives. */
    public boolean reachable(StoragePath visible) {
        return seenAs(visible).stream().noneMatch(policy::denied);
    }

    /** The rights the policy leaves at {@code visible}: those at the typed path and at where it really lives. */
    public Set<Right> rights(StoragePath visible) {
        Set<Right> rights = EnumSet.allOf(Right.class);
        for (StoragePath path : seenAs(visible)) {
            rights.retainAll(policy.rights(storagePath(path)));
        }
        return rights;
    }

    /**
     * {@code visible}, and where it really lives inside the jail when a link leads elsewhere and the
     * policy has anything path-specific to check. A path the storage cannot resolve (a missing
     * parent, a link out of the jail) is checked as typed: the operation itself fails in the storage.
     */
    private List<StoragePath> seenAs(StoragePath visible) {
        if (!policy.pathSpecific() || view == null) {
            return List.of(visible);
        }
        try {
            StoragePath real = view.canonical(visible);
            return real.equals(visible) ? List.of(visible) : List.of(visible, real);
        } catch (StorageException e) {
            return List.of(visible);
        }
    }

    public StoragePath cwd() {
        return cwd;
    }

    public void cwd(StoragePath directory) {
        this.cwd = directory;
    }

    /** Client text to the path the client sees ({@code /} is the user's root). */
    public StoragePath virtualPath(String text) {
        return cwd.resolve(text);
    }

    /**
     * A path the client sees to the path in the whole storage, where access rules (written for
     * the whole storage) are matched. Storage operations take the visible path: the session's
     * {@link #storage()} view is rooted at the jail.
     */
    public StoragePath storagePath(StoragePath virtual) {
        return virtual.under(root);
    }
}
