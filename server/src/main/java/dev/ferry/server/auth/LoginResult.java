package dev.ferry.server.auth;

import java.util.Objects;

/** What a source of users answers to a name and a password. */
public sealed interface LoginResult {

    /** The password is right and the account may log in now. */
    record Accepted(User user) implements LoginResult {
        public Accepted {
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * Wrong password, unknown name, locked or expired account: one answer for all, so a client
     * cannot tell them apart (530).
     */
    record Refused() implements LoginResult {
    }

    /**
     * The source could not decide (PAM cannot start, too many logins waiting, the check took too
     * long): not the user's fault, so the session answers 421 and logs {@code reason}, never 530.
     */
    record Unavailable(String reason) implements LoginResult {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    LoginResult REFUSED = new Refused();
}
