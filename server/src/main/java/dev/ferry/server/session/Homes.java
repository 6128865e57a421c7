package dev.ferry.server.session;

import dev.ferry.server.auth.LoginResult;
import dev.ferry.server.auth.User;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Where users are jailed. */
public final class Homes {

    private Homes() {
    }

    /** A local user's home: {@link #of(ServerConfig, Storage, User, String)} with the user's own home. */
    public static StoragePath of(ServerConfig config, Storage storage, User user) throws StorageException {
        return of(config, storage, user, user.home());
    }

    /**
     * A home, as vsftpd's calculate_chdir_dir finds it: local_root wins over the account's home
     * {@code home} (the user's own, or guest_username's for a guest); user_sub_token in either is
     * replaced by the name the user logged in with, which is how one guest account gives every
     * virtual user a directory of its own. Neither: the whole storage.
     */
    public static StoragePath of(ServerConfig config, Storage storage, User user, String home)
            throws StorageException {
        Optional<Path> localRoot = config.get(CoreDirectives.LOCAL_ROOT);
        String text = localRoot.map(Path::toString).orElse(home);
        if (text.isEmpty()) {
            return StoragePath.ROOT;
        }
        String token = config.get(CoreDirectives.USER_SUB_TOKEN);
        if (token.isEmpty() || !text.contains(token)) {
            return storage.configuredPath(text);
        }
        String name = user.name();
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..") || name.indexOf('\0') >= 0) {
            // an auth_program may accept any name: it must not climb out of local_root's parent
            throw new IllegalArgumentException("the user name cannot stand for user_sub_token in a path");
        }
        return storage.configuredPath(text.replace(token, name));
    }

    /**
     * Every root the server serves, none inside another: the anonymous root and the users' homes,
     * where those logins are enabled. Homes that cannot be resolved are left out (their users get
     * 530 at login, with the reason logged).
     */
    public static List<StoragePath> served(ServerContext server) {
        List<StoragePath> roots = new ArrayList<>();
        if (server.config().get(CoreDirectives.ANONYMOUS_ENABLE)) {
            roots.add(server.anonRoot());
        }
        if (server.config().get(CoreDirectives.LOCAL_ENABLE)) {
            for (User user : server.users().users()) {
                try {
                    roots.add(of(server.config(), server.storage(), user));
                } catch (StorageException | IllegalArgumentException e) {
                    // reported when the user logs in
                }
            }
            // PAM, auth_program and guest users are not a list: what covers all of them is local_root
            // (or guest_username's home), up to the first user_sub_token; homes only the system's
            // user database or the program knows are left to the next upload there
            sharedHome(server).ifPresent(home -> {
                try {
                    roots.add(server.storage().configuredPath(home));
                } catch (StorageException | IllegalArgumentException e) {
                    // reported when a user logs in
                }
            });
        }
        roots.sort(null); // a parent sorts before its children
        List<StoragePath> outermost = new ArrayList<>();
        for (StoragePath root : roots) {
            if (outermost.isEmpty() || !outermost.getLast().contains(root)) {
                outermost.add(root);
            }
        }
        return outermost;
    }

    /**
     * The directory every home local_root gives lies in (local_root itself, or the part before its
     * first user_sub_token: /srv/ftp for /srv/ftp/$USER); with guest_enable and no local_root, the
     * guest account's home the same way.
     */
    private static Optional<String> sharedHome(ServerContext server) {
        ServerConfig config = server.config();
        Optional<String> home = config.get(CoreDirectives.LOCAL_ROOT).map(Path::toString);
        if (home.isEmpty() && config.get(CoreDirectives.GUEST_ENABLE)) {
            if (server.logins().systemAccount(config.get(CoreDirectives.GUEST_USERNAME))
                    instanceof LoginResult.Accepted(User guest)) {
                home = Optional.of(guest.home()).filter(text -> !text.isEmpty());
            }
        }
        String token = config.get(CoreDirectives.USER_SUB_TOKEN);
        if (home.isEmpty() || token.isEmpty() || !home.get().contains(token)) {
            return home;
        }
        String before = home.get().substring(0, home.get().indexOf(token));
        int slash = before.lastIndexOf('/');
        return slash < 0 ? Optional.of(".") : Optional.of(slash == 0 ? "/" : before.substring(0, slash));
    }
}
