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

    /** Logged in anonymously (vsftpd's "ftp" and "anonymous"); {@code password} is the e-mail address given. */
    record Anonymous(String password) implements LoginState {
    }

    /** Logged in as a local user (users file, PAM, auth_program...), with local rights. */
    record Local(User user) implements LoginState {
    }

    /**
     * vsftpd's virtual user (guest_enable): a non-anonymous login that any login source accepted,
     * mapped to the guest_username account. vsftpd gives it anonymous rights (anon_upload_enable,
     * anon_umask, anon_max_rate...) unless virtual_use_local_privs is set.
     *
     * @param user            the virtual user as its source answered (name and groups)
     * @param localPrivileges virtual_use_local_privs: local rights instead of anonymous ones
     */
    record Guest(User user, boolean localPrivileges) implements LoginState {
    }

    LoginState NONE = new NotLoggedIn();

    default boolean loggedIn() {
        return this instanceof Anonymous || this instanceof Local || this instanceof Guest;
    }

    /**
     * Whether the anonymous settings apply (anon_umask, anon_max_rate, anon_world_readable_only,
     * force_anon_data_ssl...): vsftpd's is_anonymous, which a guest keeps unless
     * virtual_use_local_privs is set (twoprocess.c, common_do_login).
     */
    default boolean anonymousRights() {
        return switch (this) {
            case Anonymous a -> true;
            case Guest g -> !g.localPrivileges();
            default -> false;
        };
    }

    /** The name for logs and STAT: a guest shows its virtual name, as vsftpd logs it. */
    default String userName() {
        return switch (this) {
            case NotLoggedIn n -> "";
            case AwaitingPassword p -> p.name();
            case Anonymous a -> "anonymous";
            case Local l -> l.user().name();
            case Guest g -> g.user().name();
        };
    }
}
