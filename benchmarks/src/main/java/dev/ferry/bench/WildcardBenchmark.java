package dev.ferry.bench;

import dev.ferry.server.access.Wildcard;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one name pattern against one name, which it does not match: the
 * java.util.regex patterns Ferry built from LIST/NLST/STAT globs and from hide_file/deny_file
 * (quoting aside), against {@link Wildcard}, which replaced them (issue "A jail that holds",
 * section 2: {@code STAT /pub/******!} took 3.1 s against one 60-character name).
 *
 * <ul>
 * <li>{@code regex} / {@code wildcard}: {@code pattern} = {@code typical} ({@code *.txt}, for
 * the common case), {@code stars} ({@code ******!}),
 * {@code alternating} ({@code *a*a*a*a*a*a*b}) or {@code braces} (the vsftpd pattern
 * {@code {*a,*b}} six times, then {@code !}), against {@code length} = 10, 20 or 40 times 'a'.
 * The regex grows with a power of the length (backtracking tries every way to split the name
 * among the stars); the wildcard linearly.
 * <li>{@code wildcardLongName}: the same patterns against 4096 times 'a' (the regexes of the
 * hostile ones would not finish in any useful time).
 * </ul>
 * Score: microseconds per match. Run with {@code benchmarks/run jmh Wildcard}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class WildcardBenchmark {

    /** One pattern in both forms. */
    private record Case(String regex, Wildcard wildcard) {
        static Case of(String name) {
            return switch (name) {
                case "typical" -> new Case(".*\\.txt", Wildcard.glob("*.txt"));
                case "stars" -> new Case(".*.*.*.*.*.*!", Wildcard.glob("******!"));
                case "alternating" -> new Case(".*a.*a.*a.*a.*a.*a.*b", Wildcard.glob("*a*a*a*a*a*a*b"));
                case "braces" -> new Case("(?:.*a|.*b)".repeat(6) + "!", Wildcard.vsftpd("{*a,*b}".repeat(6) + "!"));
                default -> throw new IllegalArgumentException(name);
            };
        }
    }

    @State(Scope.Benchmark)
    public static class ShortName {
        @Param({"typical", "stars", "alternating", "braces"})
        public String pattern;
        @Param({"10", "20", "40"})
        public int length;

        Pattern regex;
        Wildcard wildcard;
        String name;

        @Setup
        public void setUp() {
            Case chosen = Case.of(pattern);
            regex = Pattern.compile(chosen.regex(), Pattern.DOTALL);
            wildcard = chosen.wildcard();
            name = "a".repeat(length);
        }
    }

    @State(Scope.Benchmark)
    public static class LongName {
        @Param({"typical", "stars", "alternating", "braces"})
        public String longPattern;

        Wildcard wildcard;
        final String name = "a".repeat(4096);

        @Setup
        public void setUp() {
            wildcard = Case.of(longPattern).wildcard();
        }
    }

    @Benchmark
    public boolean regex(ShortName state) {
        return state.regex.matcher(state.name).matches();
    }

    @Benchmark
    public boolean wildcard(ShortName state) {
        return state.wildcard.matches(state.name);
    }

    @Benchmark
    public boolean wildcardLongName(LongName state) {
        return state.wildcard.matches(state.name);
    }
}
