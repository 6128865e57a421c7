package dev.ferry.server.auth;

import java.util.List;
import java.util.Objects;

/**
 * A local user, from the users file or a system account. The password hash stays inside
 * {@link UserStore}, so a {@code User}
 * can be passed around (sessions, logs, policy checks) without carrying credentials.
 *
 * @param name   the login name, as given to USER
 * @param home   the home directory exactly as written in the file; empty when the line has none,
 *               and the server picks its default
 * @param groups group names, in file order, for per-group access rules
 * @param directives per-user directives (name=value) an auth_program answered, applied over the
 *                   user_config_dir file; none for other sources
 */
public record User(String name, String home, List<String> groups, List<String> directives) {

    public User {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(home, "home");
        groups = List.copyOf(groups);
        directives = List.copyOf(directives);
    }

    public User(String name, String home, List<String> groups) {
        this(name, home, groups, List.of());
    }
}
