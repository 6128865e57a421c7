package dev.ferry.server.auth;

import java.time.Duration;
import java.util.Optional;
import org.jvnet.libpam.PAM;
import org.jvnet.libpam.PAMException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine's own accounts, checked through PAM as vsftpd does with {@code local_enable=YES}:
 * {@code pam_authenticate} (the password; a locked account fails here), {@code pam_setcred}, then
 * {@code pam_acct_mgmt} (an expired account or password fails here), through the service file
 * {@code /etc/pam.d/<pam_service_name>}. The account's home directory and groups come from
 * {@link SystemAccounts} (getpwnam_r, getgrouplist), as vsftpd reads them.
 *
 * <p>libpam4j does the native calls (over JNA). They run on {@link LoginThreads}: pam_unix sleeps
 * after a wrong password and a PAM module may wait on the network, and neither may hold a carrier
 * thread that other sessions need.
 */
final class PamAccounts implements LoginSource {

    private static final Logger LOG = LoggerFactory.getLogger(PamAccounts.class);

    /** Longer than pam_unix's failure delay (2 s) and a network module's usual timeouts. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Longer names are no account name (useradd allows 32 characters); PAM is not asked. */
    private static final int MAX_NAME = 256;

    private final String service;
    private final LoginThreads threads;

    PamAccounts(String service, LoginThreads threads) {
        this.service = service;
        this.threads = threads;
    }

    String service() {
        return service;
    }

    @Override
    public LoginResult check(String name, String password) {
        if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)
                || password.indexOf('\0') >= 0) {
            // PAM takes C strings: a NUL would cut the name or password short
            return LoginResult.REFUSED;
        }
        return threads.run(() -> authenticate(name, password), TIMEOUT);
    }

    private LoginResult authenticate(String name, String password) {
        PAM pam;
        try {
            pam = new PAM(service);
        } catch (PAMException e) {
            return new LoginResult.Unavailable("PAM service '" + service + "' cannot start: " + e.getMessage());
        } catch (LinkageError e) {
            return new LoginResult.Unavailable("the PAM library (libpam) cannot be loaded: " + e);
        }
        try {
            pam.authenticate(name, password);
        } catch (PAMException e) {
            // libpam4j reads the account with getpwnam, whose static buffer another login may be
            // using: that failing after PAM said yes is no refusal, SystemAccounts looks again
            if (!String.valueOf(e.getMessage()).startsWith("Authentication succeeded")) {
                // e.g. "pam_authenticate failed : Authentication failure", "pam_acct_mgmt failed :
                // ... expired": the reason for the log only, the client reads 530 as for any refusal
                LOG.info("PAM service '{}' refused '{}': {}", service, name, e.getMessage());
                return LoginResult.REFUSED;
            }
        } finally {
            pam.dispose();
        }
        // the home and groups through the reentrant calls, never libpam4j's UnixUser (see SystemAccounts)
        Optional<User> account = SystemAccounts.find(name);
        if (account.isEmpty()) {
            LOG.info("PAM service '{}' accepted '{}', which is no account of this system", service, name);
            return LoginResult.REFUSED;
        }
        return new LoginResult.Accepted(account.get());
    }
}
