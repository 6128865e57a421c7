package dev.ferry.server.config;

import dev.ferry.server.address.Cidr;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How the text after {@code =} becomes a typed value. {@link #parse} throws
 * {@link IllegalArgumentException} whose message says what was expected ("expected YES or NO ...");
 * the parser adds where and which directive.
 */
public sealed interface ValueType<T> {

    T parse(String text);

    /** The value as it would be written in a config file. */
    String format(T value);

    /** A short name for the reference ("boolean", "integer 0–65535", ...). */
    String describe();

    /** Whether {@code name=} (nothing after '=') is a valid setting, as it is for vsftpd's string directives. */
    default boolean acceptsEmpty() {
        return false;
    }

    /** vsftpd booleans: YES/NO, TRUE/FALSE or 1/0 in any case (parseconf.c upper-cases the value first). */
    record Bool() implements ValueType<Boolean> {
        @Override
        public Boolean parse(String text) {
            return switch (text.toUpperCase(Locale.ROOT)) {
                case "YES", "TRUE", "1" -> true;
                case "NO", "FALSE", "0" -> false;
                default -> throw new IllegalArgumentException("expected YES or NO (also TRUE/FALSE or 1/0)");
            };
        }

        @Override
        public String format(Boolean value) {
            return value ? "YES" : "NO";
        }

        @Override
        public String describe() {
            return "boolean";
        }
    }

    /**
     * A decimal whole number within bounds. vsftpd reads any number with a leading 0 as octal
     * ({@code listen_port=021} is port 17), so Ferry refuses such numbers instead of silently
     * reading them differently; vsftpd also turns garbage and negatives into numbers with atoi,
     * which Ferry refuses too.
     */
    record Int(int min, int max) implements ValueType<Integer> {
        public Int {
            if (min > max || min < 0) {
                throw new IllegalArgumentException("bad bounds " + min + ".." + max);
            }
        }

        @Override
        public Integer parse(String text) {
            return (int) wholeNumber(text, min, max);
        }

        @Override
        public String format(Integer value) {
            return Integer.toString(value);
        }

        @Override
        public String describe() {
            return range(min, max);
        }
    }

    /** A whole number for backend settings ({@code StorageProvider.Setting.Kind.INTEGER} is a long). */
    record Long64(long min, long max) implements ValueType<Long> {
        public Long64 {
            if (min > max || min < 0) {
                throw new IllegalArgumentException("bad bounds " + min + ".." + max);
            }
        }

        @Override
        public Long parse(String text) {
            return wholeNumber(text, min, max);
        }

        @Override
        public String format(Long value) {
            return Long.toString(value);
        }

        @Override
        public String describe() {
            return range(min, max);
        }
    }

    /**
     * A permission mode or umask in octal with a leading 0 ({@code 022}, {@code 0666}). vsftpd reads
     * {@code 22} without the 0 as decimal 22 (octal 026), a classic mistake, so Ferry refuses it.
     */
    record Octal(int max) implements ValueType<Integer> {
        @Override
        public Integer parse(String text) {
            String expected = "expected an octal mode with a leading 0 such as 022, at most 0" + Integer.toOctalString(max);
            if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '7') || text.length() > 6) {
                throw new IllegalArgumentException(expected);
            }
            if (text.charAt(0) != '0') {
                throw new IllegalArgumentException(expected + " (vsftpd would read '" + text + "' as decimal)");
            }
            int value = Integer.parseInt(text, 8);
            if (value > max) {
                throw new IllegalArgumentException(expected);
            }
            return value;
        }

        @Override
        public String format(Integer value) {
            return "0" + Integer.toOctalString(value);
        }

        @Override
        public String describe() {
            return "octal mode";
        }
    }

    /** Free text taken as is (after the line's trailing whitespace is trimmed); empty means unset. */
    record Text() implements ValueType<String> {
        @Override
        public String parse(String text) {
            return text;
        }

        @Override
        public String format(String value) {
            return value;
        }

        @Override
        public String describe() {
            return "string";
        }

        @Override
        public boolean acceptsEmpty() {
            return true;
        }
    }

    /** A file system path, relative ones against the working directory; empty means none. */
    record FilePath() implements ValueType<Optional<Path>> {
        @Override
        public Optional<Path> parse(String text) {
            if (text.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(Path.of(text));
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("expected a file system path (" + e.getReason() + ")");
            }
        }

        @Override
        public String format(Optional<Path> value) {
            return value.map(Path::toString).orElse("");
        }

        @Override
        public String describe() {
            return "path";
        }

        @Override
        public boolean acceptsEmpty() {
            return true;
        }
    }

    /**
     * A comma-separated list, as vsftpd's cmds_allowed / cmds_denied; blanks around items are
     * dropped and empty items are refused, so a stray comma is noticed.
     */
    record Words() implements ValueType<List<String>> {
        @Override
        public List<String> parse(String text) {
            if (text.isEmpty()) {
                return List.of();
            }
            List<String> items = Arrays.stream(text.split(",", -1)).map(String::strip).toList();
            if (items.contains("")) {
                throw new IllegalArgumentException("expected a comma-separated list without empty items");
            }
            return items;
        }

        @Override
        public String format(List<String> value) {
            return String.join(",", value);
        }

        @Override
        public String describe() {
            return "list";
        }

        @Override
        public boolean acceptsEmpty() {
            return true;
        }
    }

    /**
     * Comma-separated numeric addresses and CIDR networks ({@code 10.0.0.5,192.168.0.0/16}); never a
     * host name, so no DNS lookup decides whom Ferry trusts.
     */
    record Networks() implements ValueType<List<Cidr>> {
        @Override
        public List<Cidr> parse(String text) {
            if (text.isEmpty()) {
                return List.of();
            }
            List<String> items = Arrays.stream(text.split(",", -1)).map(String::strip).toList();
            if (items.contains("")) {
                throw new IllegalArgumentException("expected comma-separated addresses or CIDR networks without "
                        + "empty items");
            }
            return items.stream().map(Cidr::parse).toList();
        }

        @Override
        public String format(List<Cidr> value) {
            return String.join(",", value.stream().map(Cidr::toString).toList());
        }

        @Override
        public String describe() {
            return "list of networks";
        }

        @Override
        public boolean acceptsEmpty() {
            return true;
        }
    }

    /** A duration written as whole seconds, as all vsftpd timeouts and delays are. */
    record Seconds(long max) implements ValueType<Duration> {
        @Override
        public Duration parse(String text) {
            return Duration.ofSeconds(wholeNumber(text, 0, max));
        }

        @Override
        public String format(Duration value) {
            return Long.toString(value.toSeconds());
        }

        @Override
        public String describe() {
            return "seconds";
        }
    }

    private static long wholeNumber(String text, long min, long max) {
        String expected = "expected a whole number from " + min + " to " + max;
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(expected);
        }
        if (text.length() > 1 && text.charAt(0) == '0') {
            throw new IllegalArgumentException(expected + " without a leading 0 (vsftpd would read '"
                    + text + "' as octal)");
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException tooLong) {
            throw new IllegalArgumentException(expected);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(expected);
        }
        return value;
    }

    private static String range(long min, long max) {
        return max == Integer.MAX_VALUE || max == Long.MAX_VALUE ? "integer ≥ " + min : "integer " + min + "–" + max;
    }
}
