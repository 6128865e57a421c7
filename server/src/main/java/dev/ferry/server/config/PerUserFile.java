package dev.ferry.server.config;

import dev.ferry.server.config.ConfigParser.Assignment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What a user_config_dir file cannot set. vsftpd reads that file once the login has succeeded
 * (twoprocess.c: common_do_login calls handle_per_user_config) and applies it over the main
 * configuration; its manual warns that "not all settings are effective on a per-user basis",
 * since many are used before the user's session starts (it names listen_address, banner_file,
 * max_per_ip, max_clients, xferlog_file), and keeps such lines without a word. Ferry reads the
 * file at the same point, so the same lines cannot work: the user list and e-mail lists decide
 * at USER and PASS, the greeting is sent on connect, listeners, logs, TLS and cross-session
 * limits belong to the whole server. It leaves those lines out with a warning naming file, line
 * and directive, so an operator who meant to restrict one user learns that the line does nothing.
 */
final class PerUserFile {

    private static final String LOGIN = "it takes effect before the login succeeds, and so before this file is read";
    private static final String CONNECT = "it takes effect when the client connects, before this file is read";
    private static final String SERVER = "it is set for the whole server when it starts or reloads";

    /** The core directives a per-user file cannot apply, with why. Storage backend settings neither. */
    private static final Map<String, String> REFUSED = refused();

    private PerUserFile() {
    }

    private static Map<String, String> refused() {
        Map<String, String> why = new HashMap<>();
        refuse(why, LOGIN, CoreDirectives.ANONYMOUS_ENABLE, CoreDirectives.LOCAL_ENABLE,
                CoreDirectives.NO_ANON_PASSWORD, CoreDirectives.USERLIST_ENABLE, CoreDirectives.USERLIST_FILE,
                CoreDirectives.USERLIST_DENY, CoreDirectives.USERLIST_LOG, CoreDirectives.DENY_EMAIL_ENABLE,
                CoreDirectives.BANNED_EMAIL_FILE, CoreDirectives.SECURE_EMAIL_LIST_ENABLE,
                CoreDirectives.EMAIL_PASSWORD_FILE, CoreDirectives.DENY_USERS_FILE,
                CoreDirectives.FORCE_LOCAL_LOGINS_SSL, CoreDirectives.FORCE_ANON_LOGINS_SSL,
                CoreDirectives.DELAY_FAILED_LOGIN, CoreDirectives.MAX_LOGIN_FAILS,
                CoreDirectives.USER_CONFIG_DIR, CoreDirectives.USERS_FILE, CoreDirectives.LDAP_URL,
                CoreDirectives.LDAP_STARTTLS, CoreDirectives.LDAP_CA_FILE, CoreDirectives.LDAP_BIND_DN,
                CoreDirectives.LDAP_BIND_PASSWORD_FILE, CoreDirectives.LDAP_USER_BASE, CoreDirectives.LDAP_USER_FILTER,
                CoreDirectives.LDAP_NAME_ATTRIBUTE, CoreDirectives.LDAP_GROUP_BASE, CoreDirectives.LDAP_GROUP_FILTER,
                CoreDirectives.LDAP_GROUP_NAME_ATTRIBUTE, CoreDirectives.LDAP_HOME_ATTRIBUTE,
                CoreDirectives.LDAP_DIRECTIVE_ATTRIBUTE, CoreDirectives.LDAP_TIMEOUT, CoreDirectives.LDAP_POOL_SIZE);
        refuse(why, CONNECT, CoreDirectives.FTPD_BANNER, CoreDirectives.BANNER_FILE,
                CoreDirectives.IDLE_SESSION_TIMEOUT, CoreDirectives.MAX_CLIENTS, CoreDirectives.MAX_PER_IP);
        refuse(why, SERVER, CoreDirectives.LISTEN_PORT, CoreDirectives.LISTEN_ADDRESS,
                CoreDirectives.LISTEN_IPV6, CoreDirectives.LISTEN_ADDRESS6, CoreDirectives.PASV_MIN_PORT,
                CoreDirectives.PASV_MAX_PORT, CoreDirectives.PASV_ADDRESS, CoreDirectives.PASV_ADDRESS_MAP,
                CoreDirectives.PASV_ADDR_RESOLVE, CoreDirectives.PASV_MAX_PER_IP, CoreDirectives.PASV_PROMISCUOUS,
                CoreDirectives.ACCEPT_TIMEOUT, CoreDirectives.CONNECT_TIMEOUT, CoreDirectives.CONNECT_FROM_PORT_20,
                CoreDirectives.FTP_DATA_PORT, CoreDirectives.DATA_CONNECTION_TIMEOUT, CoreDirectives.PROXY_PROTOCOL,
                CoreDirectives.PROXY_PROTOCOL_TRUSTED, CoreDirectives.PASV_PROXY_PROTOCOL,
                CoreDirectives.MAX_SESSIONS_PER_USER, CoreDirectives.MAX_TRANSFERS, CoreDirectives.GLOBAL_MAX_RATE,
                CoreDirectives.GLOBAL_MAX_UPLOAD_RATE, CoreDirectives.GLOBAL_MAX_DOWNLOAD_RATE, CoreDirectives.XFERLOG_ENABLE, CoreDirectives.XFERLOG_FILE,
                CoreDirectives.XFERLOG_STD_FORMAT, CoreDirectives.VSFTPD_LOG_FILE, CoreDirectives.DUAL_LOG_ENABLE,
                CoreDirectives.SYSLOG_ENABLE, CoreDirectives.LOG_FTP_PROTOCOL, CoreDirectives.JSON_LOG_ENABLE,
                CoreDirectives.JSON_LOG_FILE, CoreDirectives.METRICS_ENABLE, CoreDirectives.METRICS_LISTEN_ADDRESS,
                CoreDirectives.METRICS_LISTEN_PORT, CoreDirectives.SSL_ENABLE, CoreDirectives.IMPLICIT_SSL,
                CoreDirectives.IMPLICIT_SSL_LISTEN_PORT, CoreDirectives.RSA_CERT_FILE,
                CoreDirectives.RSA_PRIVATE_KEY_FILE, CoreDirectives.SSL_KEYSTORE_FILE,
                CoreDirectives.SSL_KEYSTORE_PASSWORD, CoreDirectives.SSL_TLSV1_2, CoreDirectives.SSL_TLSV1_3,
                CoreDirectives.SSL_CIPHERS, CoreDirectives.REQUIRE_SSL_REUSE, CoreDirectives.SSL_REUSE_SAME_USER,
                CoreDirectives.SSL_REQUEST_CERT, CoreDirectives.STRICT_SSL_READ_EOF,
                CoreDirectives.STRICT_SSL_WRITE_SHUTDOWN, CoreDirectives.DEBUG_SSL, CoreDirectives.REQUIRE_CERT, CoreDirectives.VALIDATE_CERT, CoreDirectives.CA_CERTS_FILE,
                CoreDirectives.CHROOT_LIST_FILE, CoreDirectives.ACCESS_RULES_FILE, CoreDirectives.STORAGE,
                CoreDirectives.STOP_GRACE_PERIOD, CoreDirectives.CONFIG_WATCH);
        return Map.copyOf(why);
    }

    private static void refuse(Map<String, String> why, String reason, Directive<?>... directives) {
        for (Directive<?> directive : directives) {
            why.put(directive.name(), reason);
        }
    }

    /**
     * The assignments of a per-user file that it can apply, in order; {@code warn} gets one line
     * for each other one ({@code backend} tells storage backend settings, all set for the server).
     */
    static List<Assignment<?>> applicable(List<Assignment<?>> assignments, Predicate<String> backend,
                                          Consumer<String> warn) {
        List<Assignment<?>> kept = new ArrayList<>();
        for (Assignment<?> assignment : assignments) {
            String name = assignment.directive().name();
            String why = backend.test(name) ? SERVER : REFUSED.get(name);
            if (why == null) {
                kept.add(assignment);
            } else {
                warn.accept(assignment.where() + ": " + name + " has no effect in a user_config_dir file ("
                        + why + "); left out, the main configuration's value stays");
            }
        }
        return kept;
    }
}
