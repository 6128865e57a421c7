package dev.ferry.server.session;

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

    /**
     * A local user's home: local_root wins over the home in the users file, as in vsftpd, with
     * user_sub_token in it replaced by the user name; a user with neither gets the whole storage.
     */
    public static StoragePath of(ServerConfig config, Storage storage, User user) throws StorageException {
        Optional<Path> localRoot = config.get(CoreDirectives.LOCAL_ROOT);
        if (localRoot.isPresent()) {
            String token = config.get(CoreDirectives.USER_SUB_TOKEN);
            String text = localRoot.get().toString();
            return storage.configuredPath(token.isEmpty() ? text : text.replace(token, user.name()));
        }
        return user.home().isEmpty() ? StoragePath.ROOT : storage.configuredPath(user.home());
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
}
