package dev.ferry.server.auth;

import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code ldap_*} directives of one configuration, plus the size and modification time of the
 * files they name: equal settings share one {@link LdapDirectory} (and its open connections), and
 * a CA or password file changed in place makes new ones at the next login.
 */
record LdapSettings(String urls, boolean startTls, Optional<Path> caFile, String bindDn,
                    Optional<Path> bindPasswordFile, String userBase, String userFilter, String nameAttribute,
                    String groupBase, String groupFilter, String groupNameAttribute, String homeAttribute,
                    String directiveAttribute, Duration timeout, int poolSize, List<String> fileStamps) {

    /** The settings {@code config} names, or none when {@code ldap_url} is empty. */
    static Optional<LdapSettings> of(ServerConfig config) {
        String urls = config.get(CoreDirectives.LDAP_URL);
        if (urls.isBlank()) {
            return Optional.empty();
        }
        Optional<Path> ca = config.get(CoreDirectives.LDAP_CA_FILE);
        Optional<Path> password = config.get(CoreDirectives.LDAP_BIND_PASSWORD_FILE);
        List<String> stamps = new ArrayList<>();
        ca.ifPresent(path -> stamps.add(stamp(path)));
        password.ifPresent(path -> stamps.add(stamp(path)));
        return Optional.of(new LdapSettings(urls.strip(), config.get(CoreDirectives.LDAP_STARTTLS), ca,
                config.get(CoreDirectives.LDAP_BIND_DN), password, config.get(CoreDirectives.LDAP_USER_BASE),
                config.get(CoreDirectives.LDAP_USER_FILTER), config.get(CoreDirectives.LDAP_NAME_ATTRIBUTE),
                config.get(CoreDirectives.LDAP_GROUP_BASE), config.get(CoreDirectives.LDAP_GROUP_FILTER),
                config.get(CoreDirectives.LDAP_GROUP_NAME_ATTRIBUTE), config.get(CoreDirectives.LDAP_HOME_ATTRIBUTE),
                config.get(CoreDirectives.LDAP_DIRECTIVE_ATTRIBUTE), config.get(CoreDirectives.LDAP_TIMEOUT),
                config.get(CoreDirectives.LDAP_POOL_SIZE), List.copyOf(stamps)));
    }

    private static String stamp(Path file) {
        try {
            return file + ":" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            // unreadable now: LdapDirectory reports it when it reads the file
            return file + ":missing";
        }
    }

    /** Whether the URLs are ldaps:// (ServerConfig refuses a mix of schemes). */
    boolean ldaps() {
        return urls.toLowerCase(java.util.Locale.ROOT).startsWith("ldaps://");
    }

    /** Whether the connection is encrypted (ldaps:// or StartTLS), so a CA file means something. */
    boolean secure() {
        return startTls || ldaps();
    }
}
