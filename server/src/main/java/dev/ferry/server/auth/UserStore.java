package dev.ferry.server.auth;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local users, read once at startup from a users file.
 *
 * <p>Format, one user per line, in the spirit of /etc/passwd and htpasswd files:
 * <pre>
 * # comment
 * name:hash[:home[:groups]]
 * alice:$6$saltsalt$...:/srv/ftp/alice:staff,upload
 * bob:$2y$10$...
 * carol:!:/srv/ftp/carol          (locked: listed, never logs in)
 * </pre>
 * {@code hash} is anything {@link PasswordHash} verifies, or {@code !}/{@code *} (optionally before
 * a hash) for a locked account. Blank lines and lines starting with {@code #} are ignored; a
 * trailing CR (a file saved on Windows) and surrounding blanks are dropped. Every other problem is
 * fatal with {@code FILE:LINE: message}, like vsftpd's config parser: a server that silently skips
 * a line would lock that user out, or worse, guess.
 *
 * <p>Immutable and thread-safe.
 */
public final class UserStore {

    private static final Logger LOG = LoggerFactory.getLogger(UserStore.class);

    private record Entry(User user, String hash) {
    }

    private final Map<String, Entry> users;
    /** See {@link PasswordHash#dummyLike}: verified when the name is unknown or locked. */
    private final String dummyHash;
    /** How many users have a hash that costs other than the dummy, so timing can tell their names. */
    private final long unlike;

    private UserStore(Map<String, Entry> users) {
        this.users = Collections.unmodifiableMap(users);
        List<String> hashes = users.values().stream().map(Entry::hash).toList();
        String model = typical(hashes);
        this.dummyHash = PasswordHash.dummyLike(model);
        Optional<PasswordHash.Work> work = PasswordHash.work(model);
        this.unlike = hashes.stream().map(PasswordHash::work).filter(w -> w.isPresent() && !w.equals(work)).count();
    }

    /**
     * The hash whose scheme and cost the dummy for unknown and locked names copies: one of the
     * most common scheme and cost among the users (of those, the first in file order), or "" when
     * no user has a usable hash (the dummy is then SHA-512 crypt).
     *
     * <p>Why the most common: when schemes and costs are mixed, no single check takes as long as
     * every real one (bcrypt at cost 12 takes hundreds of milliseconds, $6$ at 5000 rounds a few
     * milliseconds), and checking a dummy of each scheme present would make unknown names the
     * slowest of all, which tells every real name apart. Copying the most common makes an unknown
     * name take as long as most users do, so by timing only the users hashed unlike the rest
     * stand out, the fewest possible; {@link #load} warns about them, and hashing them alike
     * closes the gap. (Copying the first user, as before, exposed every other user when that one
     * was the odd one out.)
     */
    static String typical(List<String> hashes) {
        Map<PasswordHash.Work, Long> counts = hashes.stream().map(PasswordHash::work).flatMap(Optional::stream)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        long most = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
        return hashes.stream()
                .filter(hash -> PasswordHash.work(hash).map(work -> counts.get(work) == most).orElse(false))
                .findFirst()
                .orElse("");
    }

    /** A store with no users: every login fails (anonymous-only servers). */
    public static UserStore empty() {
        return new UserStore(new LinkedHashMap<>());
    }

    /** Reads and checks a users file (UTF-8). */
    public static UserStore load(Path file) throws UsersFileException {
        String source = file.toString();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new UsersFileException(source, "not valid UTF-8", e);
        } catch (IOException e) {
            throw new UsersFileException(source, "cannot read: " + e, e);
        }
        UserStore store = parse(source, lines);
        LOG.info("{}: {} users", source, store.users.size());
        if (store.unlike > 0) {
            LOG.warn("{}: {} of {} users have a password hash of another scheme or cost than most; the time a "
                    + "failed login takes tells their names from unknown ones: hash every password alike",
                    source, store.unlike, store.users.size());
        }
        return store;
    }

    /** Parses the lines of a users file; {@code source} names it in error messages. */
    static UserStore parse(String source, List<String> lines) throws UsersFileException {
        Map<String, Entry> users = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Entry entry = parseLine(source, lineNo, line);
            String name = entry.user().name();
            Integer previous = firstLine.putIfAbsent(name, lineNo);
            if (previous != null) {
                throw new UsersFileException(source, lineNo,
                        "duplicate user '" + name + "' (first defined on line " + previous + ")");
            }
            users.put(name, entry);
        }
        return new UserStore(users);
    }

    private static Entry parseLine(String source, int lineNo, String line) throws UsersFileException {
        String[] fields = line.split(":", -1);
        if (fields.length < 2 || fields.length > 4) {
            throw new UsersFileException(source, lineNo,
                    "expected name:hash[:home[:groups]], found " + fields.length + " field(s)");
        }
        String name = fields[0];
        String hash = fields[1];
        String home = fields.length > 2 ? fields[2] : "";
        String groupField = fields.length > 3 ? fields[3] : "";
        checkName(source, lineNo, name);
        // The messages below name the user, never the hash: a line with a plain-text password in
        // the hash field must not copy it into the startup log.
        if (hash.isEmpty()) {
            throw new UsersFileException(source, lineNo, "user '" + name
                    + "' has an empty password hash; write ! to lock the account");
        }
        if (!PasswordHash.isLocked(hash) && !PasswordHash.isSupported(hash)) {
            throw new UsersFileException(source, lineNo, "user '" + name
                    + "' has an unrecognised password hash; expected crypt(3) $6$, $5$ or $1$, "
                    + "bcrypt $2y$/$2a$/$2b$, or ! to lock the account");
        }
        List<String> groups = new ArrayList<>();
        if (!groupField.isEmpty()) {
            for (String group : groupField.split(",", -1)) {
                String g = group.strip();
                if (g.isEmpty()) {
                    throw new UsersFileException(source, lineNo,
                            "user '" + name + "' has an empty group name in '" + groupField + "'");
                }
                groups.add(g);
            }
        }
        return new Entry(new User(name, home, groups), hash);
    }

    private static void checkName(String source, int lineNo, String name) throws UsersFileException {
        if (name.isEmpty()) {
            throw new UsersFileException(source, lineNo, "empty user name");
        }
        // USER's argument is one token of a command line (RFC 959 section 4.1.1): blanks and
        // control characters could never be typed as a name.
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new UsersFileException(source, lineNo,
                        "user name holds a blank or control character");
            }
        }
    }

    /** The user called {@code name}, locked or not. */
    public Optional<User> find(String name) {
        Entry entry = users.get(name);
        return entry == null ? Optional.empty() : Optional.of(entry.user());
    }

    /** Checks a login; see {@link #authenticate(String, char[])}. */
    public Optional<User> authenticate(String name, String password) {
        if (password == null) {
            return Optional.empty();
        }
        char[] chars = password.toCharArray();
        try {
            return authenticate(name, chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * The user when {@code name} exists, is not locked and {@code password} matches. Unknown and
     * locked names still run one hash verification (against a dummy hash of the scheme and cost
     * most users have, see {@link #typical}), so a failed login takes about as long whether or not
     * the name exists and the timing is no user-enumeration oracle. The caller keeps
     * {@code password} and may wipe it afterwards.
     */
    public Optional<User> authenticate(String name, char[] password) {
        Entry entry = name == null ? null : users.get(name);
        if (entry == null || !PasswordHash.isSupported(entry.hash())) {
            PasswordHash.verify(dummyHash, password);
            return Optional.empty();
        }
        return PasswordHash.verify(entry.hash(), password) ? Optional.of(entry.user()) : Optional.empty();
    }

    /** The hash unknown and locked names are checked against (for tests: its scheme and cost). */
    String dummyHash() {
        return dummyHash;
    }

    /** The number of users, locked ones included. */
    public int size() {
        return users.size();
    }

    /** Every user of the file, in file order. */
    public List<User> users() {
        return users.values().stream().map(Entry::user).toList();
    }
}
