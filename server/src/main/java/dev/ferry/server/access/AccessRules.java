package dev.ferry.server.access;

import dev.ferry.server.config.ConfigException;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The access rules file (access_rules_file): rights per directory, the same on every storage.
 *
 * <pre>
 * # PATH          WHO                 RIGHTS
 * /srv/ftp/upload anonymous           write
 * /srv/shared     @readers            list,read
 * /srv/shared     alice               all
 * "/srv/ftp/my files"  local,anonymous  list,read
 * </pre>
 * One rule a line: a directory, whom the rule is for, and what they may do there and below.
 * <ul>
 *   <li>PATH is written like anon_root and the homes of the users file (on local disk an absolute
 *       path inside local_storage_root, elsewhere a path inside the storage); double quotes allow
 *       blanks.</li>
 *   <li>WHO is a comma-separated list of {@code anonymous}, {@code local}, {@code @group} (the
 *       fourth column of the users file), a user name, or {@code *} for everyone.</li>
 *   <li>RIGHTS is a comma-separated list of {@code list read write overwrite mkdir delete rename},
 *       or {@code all}, or {@code none}.</li>
 * </ul>
 * For a path, the rules whose PATH contains it and whose WHO matches the session are candidates.
 * The deepest PATH wins; at the same PATH a user name wins over a group, a group over
 * anonymous/local, those over {@code *}; several matching groups at the same PATH add up. Where no
 * rule applies, the directives alone decide. Rules only narrow what the directives allow
 * (write_enable, anon_upload_enable, download_enable, ...), never widen it. Errors are fatal at
 * startup and name {@code FILE:LINE}.
 *
 * <p>Immutable and thread-safe.
 */
public final class AccessRules {

    /** One line of the file. */
    record Rule(StoragePath path, List<Subject> subjects, Set<Right> rights, String where) {
    }

    /** Turns a PATH as written into a storage path (the storage's configuredPath). */
    @FunctionalInterface
    public interface PathResolver {
        StoragePath resolve(String text) throws StorageException;
    }

    public static final AccessRules NONE = new AccessRules(List.of());

    private final List<Rule> rules;

    private AccessRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Parses the lines of a rules file; {@code source} names it in error messages. */
    public static AccessRules parse(String source, List<String> lines, PathResolver paths) throws ConfigException {
        List<Rule> rules = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String where = source + ":" + (i + 1);
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = fields(line, where);
            if (fields.size() != 3) {
                throw new ConfigException(where + ": expected PATH WHO RIGHTS, found " + fields.size() + " field(s)");
            }
            StoragePath path;
            try {
                path = paths.resolve(fields.get(0));
            } catch (StorageException | IllegalArgumentException e) {
                throw new ConfigException(where + ": path '" + fields.get(0) + "': " + e.getMessage(), e);
            }
            List<Subject> subjects = new ArrayList<>();
            for (String token : items(fields.get(1), where, "WHO")) {
                Subject subject;
                try {
                    subject = Subject.parse(token);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(where + ": " + e.getMessage());
                }
                String key = path + "\0" + subject.token();
                String previous = seen.putIfAbsent(key, where);
                if (previous != null) {
                    throw new ConfigException(where + ": a rule for " + subject.token() + " on " + fields.get(0)
                            + " is already given at " + previous);
                }
                subjects.add(subject);
            }
            rules.add(new Rule(path, List.copyOf(subjects), rights(fields.get(2), where), where));
        }
        return new AccessRules(rules);
    }

    private static List<String> fields(String line, String where) throws ConfigException {
        List<String> fields = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int end = line.indexOf('"', i + 1);
                if (end < 0) {
                    throw new ConfigException(where + ": missing closing '\"'");
                }
                fields.add(line.substring(i + 1, end));
                i = end + 1;
            } else {
                int end = i;
                while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
                    end++;
                }
                fields.add(line.substring(i, end));
                i = end;
            }
        }
        return fields;
    }

    private static List<String> items(String field, String where, String what) throws ConfigException {
        List<String> items = new ArrayList<>();
        for (String item : field.split(",", -1)) {
            if (item.isEmpty()) {
                throw new ConfigException(where + ": empty item in " + what + " '" + field + "'");
            }
            items.add(item);
        }
        return items;
    }

    private static Set<Right> rights(String field, String where) throws ConfigException {
        if (field.equals("all")) {
            return Collections.unmodifiableSet(EnumSet.allOf(Right.class));
        }
        if (field.equals("none")) {
            return Collections.unmodifiableSet(EnumSet.noneOf(Right.class));
        }
        Set<Right> rights = EnumSet.noneOf(Right.class);
        for (String token : items(field, where, "RIGHTS")) {
            Right right = Right.byToken(token).orElseThrow(() -> new ConfigException(where + ": unknown right '"
                    + token + "'; expected list, read, write, overwrite, mkdir, delete, rename, all or none"));
            rights.add(right);
        }
        return Collections.unmodifiableSet(rights);
    }

    /** How many rules there are. */
    public int size() {
        return rules.size();
    }

    /** Whether some rule, for anyone, is written for {@code path} or a path below it. */
    public boolean anyAtOrBelow(StoragePath path) {
        return rules.stream().anyMatch(rule -> path.contains(rule.path()));
    }

    /**
     * What the rules allow {@code identity} at {@code path} (a storage path), or empty when no rule
     * applies there.
     */
    public Optional<Set<Right>> rights(Identity identity, StoragePath path) {
        int bestDepth = -1;
        int bestSpecificity = -1;
        Set<Right> granted = EnumSet.noneOf(Right.class);
        for (Rule rule : rules) {
            if (!rule.path().contains(path)) {
                continue;
            }
            int depth = rule.path().segments().size();
            for (Subject subject : rule.subjects()) {
                if (!subject.matches(identity)) {
                    continue;
                }
                int specificity = subject.specificity();
                if (depth > bestDepth || depth == bestDepth && specificity > bestSpecificity) {
                    bestDepth = depth;
                    bestSpecificity = specificity;
                    granted = EnumSet.noneOf(Right.class);
                }
                if (depth == bestDepth && specificity == bestSpecificity) {
                    granted.addAll(rule.rights());
                }
            }
        }
        return bestDepth < 0 ? Optional.empty() : Optional.of(granted);
    }
}
