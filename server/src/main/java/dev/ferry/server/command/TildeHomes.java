package dev.ferry.server.command;

import dev.ferry.server.auth.LoginResult;
import dev.ferry.server.auth.User;
import dev.ferry.server.session.ServerContext;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * tilde_user_enable: what {@code ~name} stands for in a path, as vsftpd's resolve_tilde finds it
 * (getpwnam's home directory): the users file's home for a name it holds, else the system
 * account's home. One session's answers are kept (up to {@link #MAX_NAMES} names), so a client
 * repeating {@code ~name} asks the system's user database once; the lookup runs on the login
 * threads, as PAM's do, since NSS may ask a directory over the network.
 */
final class TildeHomes {

    static final int MAX_NAMES = 64;
    /** useradd's limit is 32; anything longer is no account name and is never looked up. */
    private static final int MAX_NAME = 64;

    private TildeHomes() {
    }

    /** The lookup for one session, over {@code server}'s users and storage. */
    static Function<String, Optional<StoragePath>> of(ServerContext server) {
        Map<String, Optional<StoragePath>> known = new HashMap<>();
        return name -> {
            Optional<StoragePath> cached = known.get(name);
            if (cached != null) {
                return cached;
            }
            Optional<StoragePath> home = find(server, name);
            if (known.size() < MAX_NAMES) {
                known.put(name, home);
            }
            return home;
        };
    }

    private static Optional<StoragePath> find(ServerContext server, String name) {
        if (name.length() > MAX_NAME || name.chars().anyMatch(c -> Character.isISOControl(c) || c == '\\')) {
            return Optional.empty();
        }
        Optional<String> home = server.users().find(name).map(User::home);
        if (home.isEmpty() && server.logins().systemAccount(name) instanceof LoginResult.Accepted(User account)) {
            home = Optional.of(account.home());
        }
        try {
            return home.isEmpty() || home.get().isEmpty() ? Optional.empty()
                    : Optional.of(server.storage().configuredPath(home.get()));
        } catch (StorageException | IllegalArgumentException e) {
            return Optional.empty(); // a home outside the storage: "~name" stays literal text
        }
    }
}
