package dev.ferry.server.access;

import dev.ferry.server.config.ConfigException;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.Directive;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything access control reads at startup, as vsftpd reads its lists before it serves anyone:
 * the rules file, the user lists and e-mail lists the directives name, and the banner file. A file
 * that a directive asks for and that cannot be read stops the server with a message naming the
 * directive. Immutable and shared by every session.
 *
 * @param userList       userlist_file, when userlist_enable is set
 * @param deniedUsers    deny_users_file (root is always refused on top)
 * @param chrootList     chroot_list_file, when chroot_list_enable is set
 * @param bannedEmails   banned_email_file, when deny_email_enable is set
 * @param emailPasswords email_password_file, when secure_email_list_enable is set
 * @param banner         the lines of banner_file, when set
 */
public record AccessControl(AccessRules rules, Optional<NameList> userList, NameList deniedUsers,
                            NameList chrootList, Optional<NameList> bannedEmails,
                            Optional<NameList> emailPasswords, Optional<List<String>> banner) {

    /** The name no FTP login may use, file or not: /etc/ftpusers lists it on every distribution. */
    public static final String ROOT = "root";

    /** Nothing configured: no rules, no lists, the default greeting. */
    public static final AccessControl NONE = new AccessControl(AccessRules.NONE, Optional.empty(), NameList.EMPTY,
            NameList.EMPTY, Optional.empty(), Optional.empty(), Optional.empty());

    public static AccessControl load(ServerConfig config, Storage storage) throws ConfigException {
        check(config);
        AccessRules rules = AccessRules.NONE;
        Optional<Path> rulesFile = config.get(CoreDirectives.ACCESS_RULES_FILE);
        if (rulesFile.isPresent()) {
            rules = AccessRules.parse(rulesFile.get().toString(), read(CoreDirectives.ACCESS_RULES_FILE, rulesFile.get()),
                    storage::configuredPath);
        }
        Optional<NameList> userList = config.get(CoreDirectives.USERLIST_ENABLE)
                ? Optional.of(list(config, CoreDirectives.USERLIST_FILE)) : Optional.empty();
        NameList denied = config.get(CoreDirectives.DENY_USERS_FILE).isPresent()
                ? list(config, CoreDirectives.DENY_USERS_FILE) : NameList.EMPTY;
        NameList chroot = config.get(CoreDirectives.CHROOT_LIST_ENABLE)
                ? list(config, CoreDirectives.CHROOT_LIST_FILE) : NameList.EMPTY;
        Optional<NameList> banned = config.get(CoreDirectives.DENY_EMAIL_ENABLE)
                ? Optional.of(list(config, CoreDirectives.BANNED_EMAIL_FILE)) : Optional.empty();
        Optional<NameList> passwords = config.get(CoreDirectives.SECURE_EMAIL_LIST_ENABLE)
                ? Optional.of(list(config, CoreDirectives.EMAIL_PASSWORD_FILE)) : Optional.empty();
        Optional<List<String>> banner = Optional.empty();
        Optional<Path> bannerFile = config.get(CoreDirectives.BANNER_FILE);
        if (bannerFile.isPresent()) {
            List<String> lines = read(CoreDirectives.BANNER_FILE, bannerFile.get()).stream()
                    .map(String::stripTrailing).toList();
            banner = lines.isEmpty() ? Optional.empty() : Optional.of(lines);
        }
        return new AccessControl(rules, userList, denied, chroot, banned, passwords, banner);
    }

    /**
     * Checks the values that only make sense together, also for a per-user config file at login:
     * patterns must parse and the anonymous name must be one word.
     */
    public static void check(ServerConfig config) throws ConfigException {
        for (Directive<String> pattern : List.of(CoreDirectives.HIDE_FILE, CoreDirectives.DENY_FILE)) {
            try {
                NamePattern.parse(config.get(pattern));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where(config, pattern) + pattern.name() + ": " + e.getMessage());
            }
        }
        String ftpUser = config.get(CoreDirectives.FTP_USERNAME);
        if (ftpUser.isEmpty() || !ftpUser.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new ConfigException(where(config, CoreDirectives.FTP_USERNAME)
                    + "ftp_username must be one word, got '" + ftpUser + "'");
        }
    }

    private static String where(ServerConfig config, Directive<?> directive) {
        return config.origin(directive).map(origin -> origin + ": ").orElse("");
    }

    private static NameList list(ServerConfig config, Directive<Optional<Path>> directive) throws ConfigException {
        Path file = config.get(directive).orElseThrow(() -> new ConfigException(where(config, directive)
                + directive.name() + " must name a file"));
        return NameList.load(directive.name(), file);
    }

    private static List<String> read(Directive<?> directive, Path file) throws ConfigException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(directive.name() + "=" + file + ": cannot read the file: " + e.getMessage(), e);
        }
    }

    /** deny_users_file and root. */
    public boolean deniedUser(String name) {
        return name.equals(ROOT) || deniedUsers.contains(name);
    }
}
