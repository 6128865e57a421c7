package dev.ferry.server.listing;

import dev.ferry.storage.FileInfo;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * MLST and MLSD fact lines (RFC 3659 section 7), and the fact selection a session makes with
 * {@code OPTS MLST}.
 *
 * <p>An entry is {@code fact=value;fact=value; name}: every fact ends with {@code ;}, then one
 * blank, then the name exactly as it is, blanks, semicolons and UTF-8 included (section 7.2,
 * "entry"). Lines have no terminator; for MLST the caller also puts the single leading blank that
 * section 7.2 requires on the control connection.
 *
 * <p>Immutable: OPTS MLST returns a new format for the session to keep.
 *
 * @param supported the facts this server can show; {@link Fact#UNIQUE} only where the storage has
 *                  stable ids
 * @param enabled   the facts shown, a subset of {@code supported}
 */
public record MlsxFormat(Set<Fact> supported, Set<Fact> enabled) {

    /** The facts Ferry knows (RFC 3659 section 7.5), in the order they are shown. */
    public enum Fact {
        TYPE, SIZE, MODIFY, PERM, UNIQUE;

        /** The fact name as shown; section 7.5 makes fact names case-insensitive. */
        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What the client may do with an entry, computed by the caller from the access rules and the
     * storage's capabilities. {@link #perm} turns them into the letters of section 7.5.5, whose
     * meanings differ between files and directories.
     */
    public enum Right {
        /** File: RETR ("r"). */
        READ,
        /** File: STOR over it ("w"). */
        WRITE,
        /** File: APPE to it ("a"). */
        APPEND,
        /** File: DELE; directory: RMD ("d"). */
        DELETE,
        /** File or directory: RNFR ("f"). */
        RENAME,
        /** Directory: STOR, STOU, APPE of new files in it ("c"). */
        CREATE_FILE,
        /** Directory: MKD in it ("m"). */
        MKDIR,
        /** Directory: LIST, NLST, MLSD of it ("l"). */
        LIST,
        /** Directory: CWD into it ("e"). */
        ENTER,
        /** Directory: deleting the objects in it ("p", purge). */
        DELETE_CHILD
    }

    /**
     * What an MLSD line describes (section 7.5.1): an entry of the listed directory, the listed
     * directory itself ({@code type=cdir}) or its parent ({@code type=pdir}).
     */
    public enum Role { ENTRY, CURRENT, PARENT }

    public MlsxFormat {
        supported = Set.copyOf(supported);
        enabled = Set.copyOf(enabled);
        if (!supported.containsAll(enabled)) {
            throw new IllegalArgumentException("enabled facts " + enabled + " not all in " + supported);
        }
    }

    /** Every fact supported and enabled. */
    public static MlsxFormat all() {
        return Defaults.ALL;
    }

    /** One shared instance: every session starts with it (immutable, so sharing is safe). */
    private static final class Defaults {
        static final MlsxFormat ALL = of(EnumSet.allOf(Fact.class));
    }

    /** The given facts supported, all of them enabled (section 7.8: the server picks the default). */
    public static MlsxFormat of(Set<Fact> supported) {
        return new MlsxFormat(supported, supported);
    }

    /**
     * The format after {@code OPTS MLST <argument>} (section 7.9): the argument lists facts each
     * followed by {@code ;}; unknown or unsupported names are ignored, and no argument enables no
     * facts.
     */
    public MlsxFormat withOpts(String argument) {
        Set<Fact> chosen = EnumSet.noneOf(Fact.class);
        if (argument != null) {
            for (String token : argument.strip().split(";")) {
                for (Fact fact : supported) {
                    if (fact.token().equalsIgnoreCase(token.strip())) {
                        chosen.add(fact);
                    }
                }
            }
        }
        return new MlsxFormat(supported, chosen);
    }

    /**
     * The text of the reply to OPTS MLST after the code: {@code MLST OPTS type;size;} listing the
     * facts now enabled, or {@code MLST OPTS} when none are (section 7.9).
     */
    public String optsReply() {
        StringBuilder out = new StringBuilder("MLST OPTS");
        if (!enabled.isEmpty()) {
            out.append(' ');
            for (Fact fact : Fact.values()) {
                if (enabled.contains(fact)) {
                    out.append(fact.token()).append(';');
                }
            }
        }
        return out.toString();
    }

    /**
     * The FEAT line, without the leading blank FEAT puts before each feature: every supported fact,
     * with {@code *} after the enabled ones (section 7.8), e.g. {@code MLST type*;size*;modify*;}.
     */
    public String featLine() {
        StringBuilder out = new StringBuilder("MLST ");
        for (Fact fact : Fact.values()) {
            if (supported.contains(fact)) {
                out.append(fact.token());
                if (enabled.contains(fact)) {
                    out.append('*');
                }
                out.append(';');
            }
        }
        return out.toString();
    }

    /** The MLSD line for an entry of the listed directory, under its own name. */
    public String entry(FileInfo info, Set<Right> rights) {
        return entry(info, info.name(), rights, Role.ENTRY);
    }

    /**
     * The fact line for {@code info} under {@code name}: for MLST the path the client asked about,
     * for MLSD the entry name (or e.g. {@code .} / {@code ..} for the current and parent
     * directory). {@code role} matters only for directories.
     */
    public String entry(FileInfo info, String name, Set<Right> rights, Role role) {
        Objects.requireNonNull(name, "name");
        StringBuilder out = new StringBuilder(96 + name.length());
        append(out, info, name, rights, role);
        return out.toString();
    }

    /**
     * Appends the fact line to {@code out}: MLSD formats every entry into one reused builder
     * ({@link ListingWriter}), so this makes no string of its own.
     */
    public void append(StringBuilder out, FileInfo info, String name, Set<Right> rights, Role role) {
        append(out, info, name, rights, role, null);
    }

    /** The lines of one MLSD: {@link #append} keeping the last entry's modify fact for the next. */
    public Lines lines() {
        return new Lines();
    }

    /**
     * One MLSD's lines in this format. The facts shown are looked up in an EnumSet, and the
     * modify fact's seconds ({@code YYYYMMDDHHMMSS}) of the last entry are kept for the next, which
     * often has the same second (files written together); only the milliseconds are made per entry.
     * One per listing; not for several threads.
     */
    public final class Lines {

        private final Set<Fact> shown = enabled.isEmpty() ? EnumSet.noneOf(Fact.class) : EnumSet.copyOf(enabled);
        private final StringBuilder seconds = new StringBuilder(14);
        private long lastSecond = Long.MIN_VALUE;

        private Lines() {
        }

        /** As {@link MlsxFormat#append}. */
        public void append(StringBuilder out, FileInfo info, String name, Set<Right> rights, Role role) {
            MlsxFormat.this.append(out, info, name, rights, role, this);
        }

        private void appendTime(StringBuilder out, FileInfo info) {
            Instant time = LsFormat.shown(info.modified());
            if (time.getEpochSecond() != lastSecond) {
                seconds.setLength(0);
                appendSeconds(seconds, time);
                lastSecond = time.getEpochSecond();
            }
            out.append(seconds);
            appendMillis(out, time);
        }
    }

    private void append(StringBuilder out, FileInfo info, String name, Set<Right> rights, Role role, Lines lines) {
        Objects.requireNonNull(name, "name");
        Set<Fact> enabled = lines != null ? lines.shown : this.enabled;
        if (enabled.contains(Fact.TYPE)) {
            String type = !info.isDirectory() ? "file" : switch (role) {
                case ENTRY -> "dir";
                case CURRENT -> "cdir";
                case PARENT -> "pdir";
            };
            out.append("type=").append(type).append(';');
        }
        // Section 7.5.7 leaves a directory's size to the server; FileInfo says 0, which means
        // nothing, so directories get no size fact (as Pure-FTPd and most S3 gateways do).
        if (enabled.contains(Fact.SIZE) && info.isFile()) {
            out.append("size=").append(info.size()).append(';');
        }
        if (enabled.contains(Fact.MODIFY)) {
            out.append("modify=");
            if (lines != null) {
                lines.appendTime(out, info);
            } else {
                appendTime(out, info);
            }
            out.append(';');
        }
        if (enabled.contains(Fact.PERM)) {
            out.append("perm=");
            appendPerm(out, info, rights);
            out.append(';');
        }
        if (enabled.contains(Fact.UNIQUE)) {
            Optional<String> unique = info.uniqueId().filter(MlsxFormat::isFactValue);
            if (unique.isPresent()) {
                out.append("unique=").append(unique.get()).append(';');
            }
        }
        out.append(' ').append(name);
    }

    /**
     * The perm fact's letters (section 7.5.5) in alphabetical order: a, d, f, r, w apply to files;
     * c, d, e, f, l, m, p to directories. A right that has no letter for the entry's type is
     * dropped, e.g. READ on a directory.
     */
    public static String perm(FileInfo info, Set<Right> rights) {
        StringBuilder out = new StringBuilder(10);
        appendPerm(out, info, rights);
        return out.toString();
    }

    private static void appendPerm(StringBuilder out, FileInfo info, Set<Right> rights) {
        boolean dir = info.isDirectory();
        letter(out, !dir && rights.contains(Right.APPEND), 'a');
        letter(out, dir && rights.contains(Right.CREATE_FILE), 'c');
        letter(out, rights.contains(Right.DELETE), 'd');
        letter(out, dir && rights.contains(Right.ENTER), 'e');
        letter(out, rights.contains(Right.RENAME), 'f');
        letter(out, dir && rights.contains(Right.LIST), 'l');
        letter(out, dir && rights.contains(Right.MKDIR), 'm');
        letter(out, dir && rights.contains(Right.DELETE_CHILD), 'p');
        letter(out, !dir && rights.contains(Right.READ), 'r');
        letter(out, !dir && rights.contains(Right.WRITE), 'w');
    }

    /**
     * A fact value is printable US-ASCII without {@code ;} or blanks (section 7.1, RCHAR): a
     * backend id that is not would end the facts early, so such an id is not shown at all.
     */
    static boolean isFactValue(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == ';') {
                return false;
            }
        }
        return true;
    }

    private static void letter(StringBuilder out, boolean present, char letter) {
        if (present) {
            out.append(letter);
        }
    }

    /**
     * {@code YYYYMMDDHHMMSS} in UTC (section 2.3, time-val), with {@code .sss} only when the time
     * has milliseconds: most clients parse the short form, and the fraction is optional. Finer
     * digits are truncated, never rounded up into a later second.
     */
    static void appendTime(StringBuilder out, FileInfo info) {
        Instant time = LsFormat.shown(info.modified());
        appendSeconds(out, time);
        appendMillis(out, time);
    }

    /** {@code YYYYMMDDHHMMSS}: the year is within 0000-9999 ({@link LsFormat#shown}), so four digits. */
    private static void appendSeconds(StringBuilder out, Instant time) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
        char[] text = new char[14];
        put(text, 0, t.getYear(), 4);
        put(text, 4, t.getMonthValue(), 2);
        put(text, 6, t.getDayOfMonth(), 2);
        put(text, 8, t.getHour(), 2);
        put(text, 10, t.getMinute(), 2);
        put(text, 12, t.getSecond(), 2);
        out.append(text);
    }

    private static void appendMillis(StringBuilder out, Instant time) {
        int millis = time.getNano() / 1_000_000;
        if (millis != 0) {
            out.append('.').append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
                    .append((char) ('0' + millis % 10));
        }
    }

    /** {@code value} (not negative) in {@code width} digits, zero-padded, at {@code at}. */
    private static void put(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
