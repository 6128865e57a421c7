package dev.ferry.server.auth;

/** One place local users come from: the users file, PAM, ... */
interface LoginSource {

    /**
     * Checks {@code name} and {@code password}. Blocking is allowed (the caller is a session's
     * virtual thread), but a source that blocks in native code runs it on {@link LoginThreads}.
     */
    LoginResult check(String name, String password);
}
