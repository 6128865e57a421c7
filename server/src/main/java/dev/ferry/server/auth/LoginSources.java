package dev.ferry.server.auth;

import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where local users come from, in order: the users file, auth_program, an LDAP directory
 * (ldap_url), then the system's accounts through PAM.
 *
 * <ul>
 *   <li>{@code users_file} only: its users, as before.</li>
 *   <li>No {@code users_file}: the system's accounts through PAM with {@code pam_service_name}
 *       ({@code ftp} when empty), vsftpd's {@code local_enable=YES}.</li>
 *   <li>Both, when {@code pam_service_name} is set beside a {@code users_file}: a name the file
 *       holds is decided by the file alone (so {@code alice:!} locks a system account out of FTP);
 *       any other name goes to PAM.</li>
 *   <li>{@code auth_program}: after the users file; a program's "no" passes the name on to PAM
 *       when that is configured too (pam_service_name set).</li>
 *   <li>{@code ldap_url}: after the program; a name the directory refuses goes on to PAM when
 *       pam_service_name is set. Explicitly configured sources come before PAM, which is only
 *       vsftpd's default.</li>
 * </ul>
 *
 * <p>One per server configuration ({@code ServerContext}): its {@link LoginThreads} and
 * auth_program's bound on programs running at once belong to it, so two servers in one JVM, or a
 * configuration and the one a reload replaced it with, never share (or use up) each other's.
 */
public final class LoginSources {

    /** vsftpd's default pam_service_name. */
    static final String DEFAULT_PAM_SERVICE = "ftp";

    /** How long a guest_username lookup may take: NSS may ask a directory over the network. */
    private static final Duration ACCOUNT_TIMEOUT = Duration.ofSeconds(30);

    private final UserStore file;
    /** After the file, in order: auth_program, LDAP, then PAM. */
    private final List<LoginSource> others;
    private final LoginThreads threads;

    private LoginSources(UserStore file, List<LoginSource> others, LoginThreads threads) {
        this.file = file;
        this.others = List.copyOf(others);
        this.threads = threads;
    }

    /** The sources {@code config} names, over {@code file}'s users. */
    public static LoginSources of(ServerConfig config, UserStore file) {
        List<LoginSource> others = new ArrayList<>();
        LoginThreads threads = new LoginThreads();
        Optional<Path> program = config.get(CoreDirectives.AUTH_PROGRAM);
        program.ifPresent(path -> others.add(new ProgramAccounts(path, config.get(CoreDirectives.AUTH_PROGRAM_TIMEOUT),
                config.get(CoreDirectives.AUTH_PROGRAM_MAX))));
        Optional<LdapSettings> ldap = LdapSettings.of(config);
        ldap.ifPresent(settings -> others.add(new LdapAccounts(settings, threads)));
        String service = config.get(CoreDirectives.PAM_SERVICE_NAME);
        // "no users_file" is an empty store for a server embedded with users of its own making
        boolean noOtherSource = config.get(CoreDirectives.USERS_FILE).isEmpty() && file.size() == 0
                && program.isEmpty() && ldap.isEmpty();
        if (noOtherSource || !service.isEmpty()) {
            others.add(new PamAccounts(service.isEmpty() ? DEFAULT_PAM_SERVICE : service, threads));
        }
        return new LoginSources(file, others, threads);
    }

    /**
     * A system account by name (getpwnam_r), for guest_enable's guest_username: Accepted with its
     * home, Refused when the system has no such account, Unavailable when the lookup does not end
     * in time. It runs on a login thread, as PAM's lookups do: NSS may ask sssd or a directory.
     */
    public LoginResult systemAccount(String name) {
        return threads.run(() -> SystemAccounts.find(name).<LoginResult>map(LoginResult.Accepted::new)
                .orElse(LoginResult.REFUSED), ACCOUNT_TIMEOUT);
    }

    /** Whether the system has an account {@code name} (getpwnam_r), for checks at startup. */
    public static boolean isSystemAccount(String name) {
        return SystemAccounts.find(name).isPresent();
    }

    /** Ends this configuration's login threads once their checks are done (the server stops). */
    public void close() {
        threads.close();
    }

    /** Checks a login against each source in turn; see the class comment. */
    public LoginResult check(String name, String password) {
        if (password == null) {
            return LoginResult.REFUSED;
        }
        if (file.size() > 0 || others.isEmpty()) {
            // checked even for names the file lacks (against a dummy hash): same time for all
            Optional<User> user = file.authenticate(name, password);
            if (user.isPresent()) {
                return new LoginResult.Accepted(user.get());
            }
        }
        if (file.find(name).isPresent()) {
            return LoginResult.REFUSED;
        }
        // the first source that accepts or cannot decide answers; a refusal asks the next
        LoginResult result = LoginResult.REFUSED;
        for (LoginSource source : others) {
            result = source.check(name, password);
            if (!(result instanceof LoginResult.Refused)) {
                return result;
            }
        }
        return result;
    }
}
