package dev.ferry.server.auth;

import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import java.util.Optional;

/**
 * Where local users come from, in order: the users file, then the system's accounts through PAM.
 *
 * <ul>
 *   <li>{@code users_file} only: its users, as before.</li>
 *   <li>No {@code users_file}: the system's accounts through PAM with {@code pam_service_name}
 *       ({@code ftp} when empty), vsftpd's {@code local_enable=YES}.</li>
 *   <li>Both, when {@code pam_service_name} is set beside a {@code users_file}: a name the file
 *       holds is decided by the file alone (so {@code alice:!} locks a system account out of FTP);
 *       any other name goes to PAM.</li>
 * </ul>
 */
public final class LoginSources {

    /** vsftpd's default pam_service_name. */
    static final String DEFAULT_PAM_SERVICE = "ftp";

    private final UserStore file;
    private final Optional<LoginSource> system;

    private LoginSources(UserStore file, Optional<LoginSource> system) {
        this.file = file;
        this.system = system;
    }

    /** The sources {@code config} names, over {@code file}'s users. */
    public static LoginSources of(ServerConfig config, UserStore file) {
        String service = config.get(CoreDirectives.PAM_SERVICE_NAME);
        // "no users_file" is an empty store for a server embedded with users of its own making
        boolean pam = (config.get(CoreDirectives.USERS_FILE).isEmpty() && file.size() == 0) || !service.isEmpty();
        return new LoginSources(file, pam
                ? Optional.of(new PamAccounts(service.isEmpty() ? DEFAULT_PAM_SERVICE : service, LoginThreads.shared()))
                : Optional.empty());
    }

    /** Checks a login against each source in turn; see the class comment. */
    public LoginResult check(String name, String password) {
        if (password == null) {
            return LoginResult.REFUSED;
        }
        if (file.size() > 0 || system.isEmpty()) {
            // checked even for names the file lacks (against a dummy hash): same time for all
            Optional<User> user = file.authenticate(name, password);
            if (user.isPresent()) {
                return new LoginResult.Accepted(user.get());
            }
        }
        if (system.isEmpty() || file.find(name).isPresent()) {
            return LoginResult.REFUSED;
        }
        return system.get().check(name, password);
    }
}
