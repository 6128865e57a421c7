package dev.ferry.server.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads vsftpd.conf syntax into typed assignments. The rules, and where they differ from vsftpd's
 * parseconf.c:
 * <ul>
 *   <li>One {@code name=value} a line, split at the first {@code =} (so values may contain '=').
 *       Names are case-sensitive, as in vsftpd.</li>
 *   <li>No blanks around {@code =}: vsftpd reads {@code listen_port = 21} as a directive called
 *       "listen_port " and dies with "unrecognised variable"; Ferry says what is wrong.</li>
 *   <li>Blank lines are skipped and lines starting with {@code #} are comments. vsftpd only treats a
 *       {@code #} in the first column as a comment; Ferry also skips indented comments. There are no
 *       comments after a value: {@code listen=YES # on} is a bad boolean, and a banner keeps its '#'.</li>
 *   <li>Leading blanks are skipped, as vsftpd does. Trailing blanks (and the CR of CRLF files) are
 *       trimmed, where upstream vsftpd keeps them and then fails with "bad bool value" on an invisible
 *       space or opens a path ending in one.</li>
 *   <li>{@code name=} with nothing after it unsets a string, path or list (vsftpd sets such strings to
 *       NULL); for other types it is an error, as vsftpd's "missing value in config file".</li>
 *   <li>Unknown names and bad values are fatal, as with vsftpd, and the message names file and line.</li>
 * </ul>
 * {@code -o} overrides follow the same rules, except that a blank or {@code #} override is an error.
 */
public final class ConfigParser {

    private final Map<String, Directive<?>> directives = new LinkedHashMap<>();

    /** A parser that knows exactly {@code directives} (core and backend ones). */
    public ConfigParser(Collection<? extends Directive<?>> directives) {
        for (Directive<?> directive : directives) {
            if (this.directives.putIfAbsent(directive.name(), directive) != null) {
                throw new IllegalArgumentException("two directives are called " + directive.name());
            }
        }
    }

    /** One line that set a directive. */
    public record Assignment<T>(Directive<T> directive, T value, String where) {
    }

    /** The assignments of {@code source} in order; a later one for the same name overrides an earlier one. */
    public List<Assignment<?>> parse(Source source) throws ConfigException {
        List<Assignment<?>> assignments = new ArrayList<>();
        List<String> lines = source.lines();
        boolean file = source instanceof Source.File;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (file && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            assignments.add(assignment(line, source.where(i)));
        }
        return assignments;
    }

    private Assignment<?> assignment(String line, String where) throws ConfigException {
        int eq = line.indexOf('=');
        if (eq < 0) {
            if (directives.containsKey(line)) {
                throw new ConfigException(where + ": missing '=' after '" + line + "'; write " + line + "=VALUE");
            }
            throw new ConfigException(where + ": expected name=value, got '" + line + "'");
        }
        String name = line.substring(0, eq);
        String value = line.substring(eq + 1);
        if (name.isEmpty()) {
            throw new ConfigException(where + ": expected name=value, the name is missing");
        }
        if (name.endsWith(" ") || name.endsWith("\t") || value.startsWith(" ") || value.startsWith("\t")) {
            String bare = name.strip();
            throw new ConfigException(where + ": no spaces are allowed around '=' (vsftpd rejects them too); write "
                    + bare + "=" + value.strip());
        }
        Directive<?> directive = directives.get(name);
        if (directive == null) {
            throw new ConfigException(where + ": unknown directive '" + name + "'"
                    + suggestion(name).map(s -> "; did you mean '" + s + "'?").orElse(""));
        }
        return typed(directive, value, where);
    }

    private static <T> Assignment<T> typed(Directive<T> directive, String value, String where) throws ConfigException {
        if (value.isEmpty() && !directive.type().acceptsEmpty()) {
            throw new ConfigException(where + ": missing value for " + directive.name() + ": "
                    + expectation(directive));
        }
        try {
            return new Assignment<>(directive, directive.parse(value), where);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage() + " for " + directive.name() + ", got '"
                    + value + "'", e);
        }
    }

    /** What the type wants, from its own parse error for a value no type accepts. */
    private static String expectation(Directive<?> directive) {
        try {
            directive.parse("");
            return "expected a " + directive.type().describe();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The closest known name, if it is a likely typo (at most two edits away). */
    private Optional<String> suggestion(String name) {
        return directives.keySet().stream()
                .map(known -> Map.entry(known, distance(name, known)))
                .filter(e -> e.getValue() <= 2)
                .min(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())))
                .map(Map.Entry::getKey);
    }

    /** Damerau-Levenshtein (optimal string alignment) distance, so a swap like prot/port counts once. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
