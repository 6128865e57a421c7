package dev.ferry.server.session;

import dev.ferry.server.auth.User;

/** Where a session is in the USER / PASS exchange (RFC 959 section 4.1.1). */
public sealed interface LoginState {

    /** Nothing sent yet, or after REIN. */
    record NotLoggedIn() implements LoginState {
    }

    /** USER accepted; PASS expected next. */
    record AwaitingPassword(String name, boolean anonymous) implements LoginState {
    }

    /** Logged in as an anonymous user; {@code password} is the e-mail address given. */
    record Guest(String password) implements LoginState {
    }

    /** Logged in as a user of the users file. */
    record Local(User user) implements LoginState {
    }

    LoginState NONE = new NotLoggedIn();

    default boolean loggedIn() {
        return this instanceof Guest || this instanceof Local;
    }

    /** The name for logs and STAT. */
    default String userName() {
        return switch (this) {
            case NotLoggedIn n -> "";
            case AwaitingPassword p -> p.name();
            case Guest g -> "anonymous";
            case Local l -> l.user().name();
        };
    }
}
