package dev.ferry.server.config;

import dev.ferry.server.config.ConfigParser.Assignment;
import dev.ferry.server.config.Directive.Status;
import dev.ferry.server.address.PassiveAddress;
import dev.ferry.storage.StorageProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validated, immutable configuration: a typed value for every core and backend directive.
 * Sources apply in order and the last assignment of a name wins, so files given later and then
 * {@code -o} overrides replace what came before.
 */
public final class ServerConfig {

    private static final Logger LOG = LoggerFactory.getLogger(ServerConfig.class);

    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private final Map<String, Directive<?>> directives;
    private final Map<String, Directive<?>> backend;
    private final Map<String, Assignment<?>> assigned;
    private final List<String> warnings;

    private ServerConfig(Map<String, Directive<?>> directives, Map<String, Directive<?>> backend,
            Map<String, Assignment<?>> assigned) {
        this.directives = directives;
        this.backend = backend;
        this.assigned = Collections.unmodifiableMap(assigned);
        this.warnings = warnings(assigned);
    }

    /** Loads core directives only (no storage provider settings). */
    public static ServerConfig load(List<Source> sources) throws ConfigException {
        return load(sources, List.of());
    }

    /**
     * Parses {@code sources} in order against the core table plus {@code backendSettings} (the
     * settings of every installed storage provider, so a file may configure any of them), then
     * checks values that depend on each other.
     */
    public static ServerConfig load(List<Source> sources, List<StorageProvider.Setting> backendSettings)
            throws ConfigException {
        Map<String, Directive<?>> all = new LinkedHashMap<>();
        for (Directive<?> directive : CoreDirectives.ALL) {
            all.put(directive.name(), directive);
        }
        Map<String, Directive<?>> backend = new LinkedHashMap<>();
        for (StorageProvider.Setting setting : backendSettings) {
            Directive<?> directive = backendDirective(setting);
            if (all.putIfAbsent(directive.name(), directive) != null) {
                throw new ConfigException("storage provider setting '" + setting.name()
                        + "' has the name of another directive; a backend must choose its own names");
            }
            backend.put(directive.name(), directive);
        }
        ConfigParser parser = new ConfigParser(all.values());
        Map<String, Assignment<?>> assigned = new LinkedHashMap<>();
        for (Source source : sources) {
            for (Assignment<?> assignment : parser.parse(source)) {
                // remove first so the order of the map is that of the final assignments
                assigned.remove(assignment.directive().name());
                assigned.put(assignment.directive().name(), assignment);
            }
        }
        ServerConfig config = new ServerConfig(Map.copyOf(all), Map.copyOf(backend), assigned);
        config.validate();
        return config;
    }

    /**
     * This configuration with {@code source} applied after every source it was loaded from: a
     * user_config_dir file at login, which vsftpd also reads over the main file. Lines that such a
     * file cannot apply ({@link PerUserFile}) are left out, and they, like lines setting an ignored
     * or planned directive, are logged as warnings naming file and line.
     */
    public ServerConfig with(Source source) throws ConfigException {
        return with(source, LOG::warn);
    }

    /** As {@link #with(Source)}, the warnings going to {@code warn}. */
    ServerConfig with(Source source, Consumer<String> warn) throws ConfigException {
        Map<String, Assignment<?>> merged = new LinkedHashMap<>(assigned);
        Map<String, Assignment<?>> own = new LinkedHashMap<>();
        List<Assignment<?>> parsed = new ConfigParser(directives.values()).parse(source);
        for (Assignment<?> assignment : PerUserFile.applicable(parsed, this::isBackend, warn)) {
            merged.remove(assignment.directive().name());
            merged.put(assignment.directive().name(), assignment);
            own.put(assignment.directive().name(), assignment);
        }
        warnings(own).forEach(warn);
        ServerConfig config = new ServerConfig(directives, backend, merged);
        config.validate();
        return config;
    }

    /**
     * The directives {@code names} accepts whose value differs between this configuration and
     * {@code other}, by name: what a reload would change among the directives it cannot.
     */
    public List<String> differences(ServerConfig other, Predicate<String> names) {
        List<String> differ = new ArrayList<>();
        for (Directive<?> directive : directives.values()) {
            if (names.test(directive.name()) && !Objects.equals(get(directive), other.get(directive))) {
                differ.add(directive.name());
            }
        }
        return differ.stream().sorted().toList();
    }

    /**
     * This configuration with the directives {@code names} accepts as {@code running} has them:
     * a reload keeps what only a restart can change (the listen port, the storage...).
     */
    public ServerConfig keeping(ServerConfig running, Predicate<String> names) throws ConfigException {
        Map<String, Assignment<?>> merged = new LinkedHashMap<>(assigned);
        for (String name : directives.keySet()) {
            if (names.test(name)) {
                merged.remove(name);
                Assignment<?> kept = running.assigned.get(name);
                if (kept != null) {
                    merged.put(name, kept);
                }
            }
        }
        ServerConfig config = new ServerConfig(directives, backend, merged);
        config.validate();
        return config;
    }

    /** Whether {@code name} is a storage provider's setting rather than a core directive. */
    public boolean isBackend(String name) {
        return backend.containsKey(name);
    }

    /** The value of {@code directive}: the last one set, or its default. */
    public <T> T get(Directive<T> directive) {
        Directive<?> known = directives.get(directive.name());
        if (!directive.equals(known)) {
            throw new IllegalArgumentException("not a directive of this configuration: " + directive.name());
        }
        Assignment<?> assignment = assigned.get(directive.name());
        if (assignment == null) {
            return directive.defaultValue();
        }
        // the parser produced the value with this very directive's type
        @SuppressWarnings("unchecked")
        T value = (T) assignment.value();
        return value;
    }

    /** Whether a source set {@code directive} (even to its default). */
    public boolean isSet(Directive<?> directive) {
        return assigned.containsKey(directive.name()) && directive.equals(directives.get(directive.name()));
    }

    /** Where {@code directive} was last set ({@code file:line} or {@code command line (-o ...)}), if anywhere. */
    public Optional<String> origin(Directive<?> directive) {
        return Optional.ofNullable(assigned.get(directive.name())).map(Assignment::where);
    }

    /** The directive called {@code name}, core or backend. */
    public Optional<Directive<?>> directive(String name) {
        return Optional.ofNullable(directives.get(name));
    }

    /**
     * Startup warnings for the caller to log: one for each ignored or planned directive that a source
     * set to something other than its default, i.e. asked Ferry for something it does not do.
     */
    public List<String> warnings() {
        return warnings;
    }

    /** The backend directives' values, for {@link StorageProvider#open}. */
    public StorageProvider.Settings backendSettings() {
        return new BackendSettings();
    }

    private static List<String> warnings(Map<String, Assignment<?>> assigned) {
        List<String> warnings = new ArrayList<>();
        for (Assignment<?> assignment : assigned.values()) {
            Directive<?> directive = assignment.directive();
            if (Objects.equals(assignment.value(), directive.defaultValue())) {
                continue;
            }
            String name = directive.name();
            String where = " (set at " + assignment.where() + ")";
            switch (directive.status()) {
                case Status.Supported supported -> {
                }
                case Status.Planned planned ->
                        warnings.add(name + " is recognised, but Ferry does not support it yet: the setting has no effect" + where);
                case Status.Ignored ignored -> warnings.add(name + " is ignored: " + ignored.reason() + where);
            }
        }
        return List.copyOf(warnings);
    }

    private void validate() throws ConfigException {
        int min = get(CoreDirectives.PASV_MIN_PORT);
        int max = get(CoreDirectives.PASV_MAX_PORT);
        // vsftpd treats pasv_max_port=0 as "no upper limit"
        if (max != 0 && min > max) {
            throw new ConfigException("pasv_min_port=" + min + describe(CoreDirectives.PASV_MIN_PORT)
                    + " is greater than pasv_max_port=" + max + describe(CoreDirectives.PASV_MAX_PORT));
        }
        // vsftpd needs numeric addresses here too: it never resolves listen_address, and resolves
        // pasv_address only with pasv_addr_resolve. A PASV reply can only carry an IPv4 address.
        String listen = get(CoreDirectives.LISTEN_ADDRESS);
        if (!listen.isEmpty() && !IPV4.matcher(listen).matches()) {
            throw new ConfigException(place(CoreDirectives.LISTEN_ADDRESS) + "listen_address must be a numeric IPv4 "
                    + "address such as 192.0.2.10, got '" + listen + "'");
        }
        String pasv = get(CoreDirectives.PASV_ADDRESS);
        boolean resolve = get(CoreDirectives.PASV_ADDR_RESOLVE);
        if (!pasv.isEmpty() && !resolve && !IPV4.matcher(pasv).matches()) {
            throw new ConfigException(place(CoreDirectives.PASV_ADDRESS) + "pasv_address must be a numeric IPv4 "
                    + "address such as 203.0.113.7 (PASV replies carry IPv4 only), got '" + pasv + "'");
        }
        String listen6 = get(CoreDirectives.LISTEN_ADDRESS6);
        if (!listen6.isEmpty() && !(listen6.contains(":") && IPV6.matcher(listen6).matches())) {
            throw new ConfigException(place(CoreDirectives.LISTEN_ADDRESS6) + "listen_address6 must be a numeric IPv6 "
                    + "address such as 2001:db8::10, got '" + listen6 + "'");
        }
        try {
            PassiveAddress.parseMap(get(CoreDirectives.PASV_ADDRESS_MAP));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(place(CoreDirectives.PASV_ADDRESS_MAP) + "pasv_address_map: " + e.getMessage()
                    + "; expected CIDR=address pairs such as 10.0.0.0/8=10.0.0.5,0.0.0.0/0=203.0.113.7");
        }
        // A PROXY header can claim any client address; trusting every peer would let anyone pick the
        // address max_per_ip and bounce protection see, and trusting none would refuse every client.
        for (Directive<Boolean> proxy : List.of(CoreDirectives.PROXY_PROTOCOL, CoreDirectives.PASV_PROXY_PROTOCOL)) {
            if (get(proxy) && get(CoreDirectives.PROXY_PROTOCOL_TRUSTED).isEmpty()) {
                throw new ConfigException(place(proxy) + proxy.name() + "=YES needs proxy_protocol_trusted: the "
                        + "addresses or networks of the load balancers allowed to send PROXY protocol headers, "
                        + "such as 10.0.0.5 or 10.1.0.0/24");
            }
        }
        validateLdap();
        if (get(CoreDirectives.STORAGE).isBlank()) {
            throw new ConfigException(place(CoreDirectives.STORAGE) + "storage must name a storage backend");
        }
    }

    /** The ldap_* directives, when ldap_url is set; files are read once here so a typo stops the start. */
    private void validateLdap() throws ConfigException {
        String urls = get(CoreDirectives.LDAP_URL).strip();
        if (urls.isEmpty()) {
            return;
        }
        Set<String> schemes = new HashSet<>();
        for (String url : urls.split("\\s+")) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                uri = null;
            }
            String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("ldap") || scheme.equals("ldaps")) || uri.getHost() == null
                    || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getUserInfo() != null) {
                throw new ConfigException(place(CoreDirectives.LDAP_URL) + "ldap_url: expected ldap://host[:port] or "
                        + "ldaps://host[:port] (several separated by spaces), got '" + url + "'");
            }
            schemes.add(scheme);
        }
        if (schemes.size() > 1) {
            throw new ConfigException(place(CoreDirectives.LDAP_URL) + "ldap_url: mixes ldap:// and ldaps://; "
                    + "use one scheme for all servers");
        }
        boolean ldaps = schemes.contains("ldaps");
        if (ldaps && get(CoreDirectives.LDAP_STARTTLS)) {
            throw new ConfigException(place(CoreDirectives.LDAP_STARTTLS) + "ldap_starttls=YES needs ldap:// URLs; "
                    + "ldaps:// is encrypted from the start");
        }
        if (get(CoreDirectives.LDAP_CA_FILE).isPresent() && !ldaps && !get(CoreDirectives.LDAP_STARTTLS)) {
            throw new ConfigException(place(CoreDirectives.LDAP_CA_FILE) + "ldap_ca_file is set, but the LDAP "
                    + "connection is not encrypted: use ldaps:// or ldap_starttls=YES");
        }
        if (get(CoreDirectives.LDAP_USER_BASE).isBlank()) {
            throw new ConfigException(place(CoreDirectives.LDAP_URL) + "ldap_url needs ldap_user_base, the DN users "
                    + "are searched under, such as ou=people,dc=example,dc=org");
        }
        String userFilter = get(CoreDirectives.LDAP_USER_FILTER);
        if (!filterShaped(userFilter) || !userFilter.contains("%u")) {
            throw new ConfigException(place(CoreDirectives.LDAP_USER_FILTER) + "ldap_user_filter must be a filter in "
                    + "parentheses that holds %u (the login name), such as (uid=%u); got '" + userFilter + "'");
        }
        String groupFilter = get(CoreDirectives.LDAP_GROUP_FILTER);
        if (!get(CoreDirectives.LDAP_GROUP_BASE).isBlank() && !filterShaped(groupFilter)) {
            throw new ConfigException(place(CoreDirectives.LDAP_GROUP_FILTER) + "ldap_group_filter must be a filter "
                    + "in parentheses, such as (member=%d); got '" + groupFilter + "'");
        }
        if (get(CoreDirectives.LDAP_TIMEOUT).isZero()) {
            throw new ConfigException(place(CoreDirectives.LDAP_TIMEOUT) + "ldap_timeout must be 1 second or more");
        }
        boolean dn = !get(CoreDirectives.LDAP_BIND_DN).isBlank();
        Optional<java.nio.file.Path> password = get(CoreDirectives.LDAP_BIND_PASSWORD_FILE);
        if (dn && password.isEmpty()) {
            throw new ConfigException(place(CoreDirectives.LDAP_BIND_DN) + "ldap_bind_dn needs ldap_bind_password_file, "
                    + "a file holding its password (never written in the config)");
        }
        if (!dn && password.isPresent()) {
            throw new ConfigException(place(CoreDirectives.LDAP_BIND_PASSWORD_FILE) + "ldap_bind_password_file is set "
                    + "without ldap_bind_dn, the account it is the password of");
        }
        if (password.isPresent()) {
            try {
                if (Files.readString(password.get()).lines().findFirst().orElse("").isEmpty()) {
                    throw new ConfigException(place(CoreDirectives.LDAP_BIND_PASSWORD_FILE) + "ldap_bind_password_file "
                            + password.get() + ": its first line (the password) is empty");
                }
            } catch (IOException e) {
                throw new ConfigException(place(CoreDirectives.LDAP_BIND_PASSWORD_FILE) + "cannot read "
                        + "ldap_bind_password_file " + password.get() + ": " + e.getMessage(), e);
            }
        }
        Optional<java.nio.file.Path> ca = get(CoreDirectives.LDAP_CA_FILE);
        if (ca.isPresent() && !Files.isReadable(ca.get())) {
            throw new ConfigException(place(CoreDirectives.LDAP_CA_FILE) + "cannot read ldap_ca_file " + ca.get());
        }
    }

    private static boolean filterShaped(String filter) {
        return filter.length() > 2 && filter.startsWith("(") && filter.endsWith(")");
    }

    private String describe(Directive<?> directive) {
        return origin(directive).map(where -> " (" + where + ")").orElse(" (default)");
    }

    private String place(Directive<?> directive) {
        return origin(directive).map(where -> where + ": ").orElse("");
    }

    /** The directive a storage provider's setting becomes (also used for the README reference). */
    static Directive<?> backendDirective(StorageProvider.Setting setting) throws ConfigException {
        String name = setting.name();
        String help = setting.help() == null ? "" : setting.help();
        String text = setting.defaultValue() == null ? "" : setting.defaultValue();
        try {
            return switch (setting.kind()) {
                case STRING -> backendDirective(name, new ValueType.Text(), text, help);
                case BOOLEAN -> backendDirective(name, new ValueType.Bool(), text, help);
                case INTEGER -> backendDirective(name, new ValueType.Long64(0, Long.MAX_VALUE), text, help);
                case PATH -> backendDirective(name, new ValueType.FilePath(), text, help);
            };
        } catch (IllegalArgumentException e) {
            throw new ConfigException("storage provider setting '" + name + "' has a bad default '" + text + "': "
                    + e.getMessage(), e);
        }
    }

    private static <T> Directive<T> backendDirective(String name, ValueType<T> type, String text, String help) {
        return new Directive<>(name, type, type.parse(text), help, Status.SUPPORTED);
    }

    /** Backend values by name; asking for a name no provider declared, or with the wrong kind, is a bug. */
    private final class BackendSettings implements StorageProvider.Settings {

        private Object value(String name) {
            Directive<?> directive = backend.get(name);
            if (directive == null) {
                throw new IllegalArgumentException("no storage provider declared a setting called " + name);
            }
            return get(directive);
        }

        @Override
        public String string(String name) {
            Object value = value(name);
            Directive<?> directive = backend.get(name);
            return switch (value) {
                case String s -> s;
                default -> directive.format(value);
            };
        }

        @Override
        public boolean bool(String name) {
            if (value(name) instanceof Boolean b) {
                return b;
            }
            throw new IllegalArgumentException("setting " + name + " is not a boolean");
        }

        @Override
        public long integer(String name) {
            if (value(name) instanceof Long l) {
                return l;
            }
            throw new IllegalArgumentException("setting " + name + " is not an integer");
        }
    }
}
