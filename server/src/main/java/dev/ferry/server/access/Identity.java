package dev.ferry.server.access;

import java.util.List;
import java.util.Objects;

/**
 * Who a session is, as far as access rules care.
 *
 * @param anonymous whether this is an anonymous login
 * @param name      the user name (for anonymous logins, ftp_username)
 * @param groups    the groups of the users file; none for anonymous logins
 */
public record Identity(boolean anonymous, String name, List<String> groups) {

    public Identity {
        Objects.requireNonNull(name, "name");
        groups = List.copyOf(groups);
    }
}
