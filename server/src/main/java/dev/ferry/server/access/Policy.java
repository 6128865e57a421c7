package dev.ferry.server.access;

import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.storage.StoragePath;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What one logged-in session may do: the rights its directives grant (vsftpd's write_enable,
 * anon_upload_enable, download_enable, ...), narrowed per path by the access rules, and the names
 * deny_file and hide_file keep from it. Immutable.
 *
 * @param granted the rights the directives give everywhere, before the rules narrow them
 */
public record Policy(Identity identity, Set<Right> granted, AccessRules rules, Optional<NamePattern> deny,
                     Optional<NamePattern> hide) {

    /** Before login: nothing. */
    public static final Policy NONE = new Policy(new Identity(true, "", java.util.List.of()), Set.of(),
            AccessRules.NONE, Optional.empty(), Optional.empty());

    public Policy {
        granted = Collections.unmodifiableSet(granted.isEmpty() ? EnumSet.noneOf(Right.class) : EnumSet.copyOf(granted));
    }

    /** The policy of {@code identity} under {@code config} (the session's, per-user files applied). */
    public static Policy of(Identity identity, ServerConfig config, AccessRules rules) {
        Set<Right> granted = EnumSet.noneOf(Right.class);
        if (config.get(CoreDirectives.DIRLIST_ENABLE)) {
            granted.add(Right.LIST);
        }
        if (config.get(CoreDirectives.DOWNLOAD_ENABLE)) {
            granted.add(Right.READ);
        }
        // vsftpd: every write needs write_enable; anonymous writes need their anon_* switch as well
        if (config.get(CoreDirectives.WRITE_ENABLE)) {
            if (!identity.anonymous()) {
                granted.addAll(EnumSet.of(Right.WRITE, Right.OVERWRITE, Right.MKDIR, Right.DELETE, Right.RENAME));
            } else {
                if (config.get(CoreDirectives.ANON_UPLOAD_ENABLE)) {
                    granted.add(Right.WRITE);
                }
                if (config.get(CoreDirectives.ANON_MKDIR_WRITE_ENABLE)) {
                    granted.add(Right.MKDIR);
                }
                if (config.get(CoreDirectives.ANON_OTHER_WRITE_ENABLE)) {
                    granted.addAll(EnumSet.of(Right.OVERWRITE, Right.DELETE, Right.RENAME));
                }
            }
        }
        return new Policy(identity, granted, rules, NamePattern.parse(config.get(CoreDirectives.DENY_FILE)),
                NamePattern.parse(config.get(CoreDirectives.HIDE_FILE)));
    }

    /** Whether any write right is granted somewhere: the dispatcher's 550 gate for writing verbs. */
    public boolean writable() {
        return granted.stream().anyMatch(Right::writes);
    }

    /** The rights at {@code path} (a storage path): the granted ones the rules leave. */
    public Set<Right> rights(StoragePath path) {
        Set<Right> rights = EnumSet.noneOf(Right.class);
        rights.addAll(granted);
        rules.rights(identity, path).ifPresent(rights::retainAll);
        return rights;
    }

    public boolean allows(Right right, StoragePath path) {
        return granted.contains(right) && rules.rights(identity, path).map(r -> r.contains(right)).orElse(true);
    }

    /**
     * Whether anything here depends on where a path lies (access rules, deny_file names), so that
     * a link leading elsewhere could change the answer.
     */
    public boolean pathSpecific() {
        return rules.size() > 0 || deny.isPresent();
    }

    /**
     * Whether an access rule applies at {@code path} (a storage path) or below it, for anyone.
     * Such a path must not be renamed or removed: the move would carry what the rule protects
     * out from under it, for this user and for every other one the rule names (a local user
     * renaming the parent of a directory closed to anonymous users would open it to them).
     */
    public boolean ruled(StoragePath path) {
        return rules.anyAtOrBelow(path);
    }

    /** deny_file: a path is out of reach when any of its names (as the client sees them) matches. */
    public boolean denied(StoragePath visible) {
        return deny.isPresent() && visible.segments().stream().anyMatch(deny.get()::matches);
    }

    /** hide_file: the entry is left out of listings. */
    public boolean hidden(String name) {
        return hide.isPresent() && hide.get().matches(name);
    }
}
