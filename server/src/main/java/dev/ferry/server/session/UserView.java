package dev.ferry.server.session;

import dev.ferry.server.access.Policy;
import dev.ferry.server.access.Right;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

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
    /** Where the session started (vsftpd's home_str, what "~" stands for), as the client sees it. */
    private StoragePath home = StoragePath.ROOT;
    /** tilde_user_enable: a user name to that user's home in the whole storage; empty when off. */
    private Function<String, Optional<StoragePath>> userHomes = name -> Optional.empty();
    /** Directories whose message_file this session has shown; vsftpd shows each one once. */
    private final Set<StoragePath> visited = new HashSet<>();

    UserView() {
    }

    /** A login or logout: the new view, root, working directory and rights, with no directory visited yet. */
    void enter(Storage view, StoragePath root, StoragePath cwd, Policy policy) {
        this.view = view;
        this.root = root;
        this.cwd = cwd;
        this.home = cwd;
        this.policy = policy;
        this.userHomes = name -> Optional.empty();
        this.visited.clear();
    }

    /** tilde_user_enable: {@code ~name} in a path stands for what {@code homes} answers for name. */
    public void tildeUsers(Function<String, Optional<StoragePath>> homes) {
        this.userHomes = homes;
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

    /**
     * Client text to the path the client sees ({@code /} is the user's root). vsftpd's resolve_tilde
     * (postlogin.c): {@code ~} and {@code ~/...} start at the directory the session started in;
     * with tilde_user_enable, {@code ~name/...} at that user's home, when it lies inside this
     * session's root (the jail keeps everything else out, as vsftpd's chroot does). A name without
     * a home stays literal text.
     */
    public StoragePath virtualPath(String text) {
        if (!text.startsWith("~")) {
            return cwd.resolve(text);
        }
        int slash = text.indexOf('/');
        String name = slash < 0 ? text.substring(1) : text.substring(1, slash);
        String rest = slash < 0 ? "" : text.substring(slash + 1).replaceFirst("^/+", "");
        if (name.isEmpty()) {
            return home.resolve(rest);
        }
        Optional<StoragePath> named = userHomes.apply(name).filter(root::contains).map(path -> path.relativeTo(root));
        return named.map(path -> path.resolve(rest)).orElseGet(() -> cwd.resolve(text));
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
