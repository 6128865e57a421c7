package dev.ferry.server.auth;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Users of an LDAP directory ({@code ldap_url}): search-then-bind through {@link LdapDirectory},
 * run on {@link LoginThreads} since every JNDI call blocks a platform thread's worth of time.
 *
 * <p>A refusal is answered no sooner than {@link #REFUSAL_FLOOR} after the check began, and an
 * unknown name costs the directory a bind as well, so a client cannot tell from the time taken
 * whether the name exists. The directory being down, slow or misconfigured is
 * {@link LoginResult.Unavailable} (421 and a log line), never a refusal.
 */
final class LdapAccounts implements LoginSource {

    /** Longer than a search and a bind take on a healthy directory, short enough not to bother a user. */
    static final Duration REFUSAL_FLOOR = Duration.ofMillis(200);
    /** Longer names are no directory name; the directory is not asked. */
    private static final int MAX_NAME = 256;

    private final LdapSettings settings;
    private final LoginThreads threads;

    LdapAccounts(LdapSettings settings, LoginThreads threads) {
        this.settings = settings;
        this.threads = threads;
    }

    @Override
    public LoginResult check(String name, String password) {
        long start = System.nanoTime();
        LoginResult result;
        if (password.isEmpty() || name.isEmpty() || name.length() > MAX_NAME
                || name.chars().anyMatch(Character::isISOControl)) {
            // an empty password makes a simple bind "unauthenticated", which many directories
            // answer with success (RFC 4513 5.1.2): it must never reach the directory
            result = LoginResult.REFUSED;
        } else {
            // connect, StartTLS, two binds and two searches, each bounded by ldap_timeout
            Duration limit = settings.timeout().multipliedBy(6);
            result = threads.run(() -> {
                try {
                    return LdapDirectory.of(settings).authenticate(name, password);
                } catch (LdapDirectory.SetupException e) {
                    return new LoginResult.Unavailable("LDAP: " + e.getMessage());
                }
            }, limit);
        }
        if (result instanceof LoginResult.Refused) {
            long left = REFUSAL_FLOOR.toNanos() - (System.nanoTime() - start);
            if (left > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return result;
    }
}
