package dev.ferry.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

class WildcardTest {

    @Test
    void globStarsQuestionMarksAndClasses() {
        Wildcard txt = Wildcard.glob("*.txt");
        assertTrue(txt.matches("a.txt"));
        assertTrue(txt.matches(".txt"));
        assertFalse(txt.matches("a.txt.gz"));
        assertTrue(Wildcard.glob("file?.log").matches("file1.log"));
        assertFalse(Wildcard.glob("file?.log").matches("file.log"));
        assertTrue(Wildcard.glob("report[0-9].pdf").matches("report7.pdf"));
        assertFalse(Wildcard.glob("report[!0-9].pdf").matches("report7.pdf"));
        assertTrue(Wildcard.glob("report[^0-9].pdf").matches("reportX.pdf"));
        assertTrue(Wildcard.glob("[a-c-e]").matches("-"), "a '-' right after a range is itself");
        assertTrue(Wildcard.glob("[a-]").matches("-"));
        assertTrue(Wildcard.glob("[*?]").matches("*"), "stars and question marks in a class are literal");
        assertFalse(Wildcard.glob("[*?]").matches("x"));
    }

    @Test
    void globTakesOddBracketsAndEverythingElseLiterally() {
        assertTrue(Wildcard.glob("a[b").matches("a[b"), "'[' without ']' is literal");
        assertTrue(Wildcard.glob("[z-a]*").matches("[z-a]*"), "a class that cannot match: the whole text is literal");
        assertFalse(Wildcard.glob("[z-a]*").matches("[z-a]x"));
        assertTrue(Wildcard.glob("[]").matches("[]"));
        assertTrue(Wildcard.glob("[!]x").matches("[!]x"));
        assertTrue(Wildcard.glob("{a,b}.c").matches("{a,b}.c"), "a client glob has no braces");
        assertTrue(Wildcard.glob("a.b(c)+$").matches("a.b(c)+$"));
        assertFalse(Wildcard.glob("a.b").matches("aXb"));
    }

    @Test
    void matchesCodePointsNotChars() {
        String clef = new String(Character.toChars(0x1D11E));
        assertTrue(Wildcard.glob("?.mid").matches(clef + ".mid"));
        assertTrue(Wildcard.glob("[" + clef + "]").matches(clef));
        assertTrue(Wildcard.vsftpd("{?,ab}").matches(clef));
        assertTrue(Wildcard.glob("?").matches("\n"), "? is any character, line breaks included");
        assertTrue(Wildcard.glob("caf[à-ÿ]*").matches("café.txt"));
        assertFalse(Wildcard.glob("caf[!é]*").matches("café.txt"));
        assertTrue(Wildcard.glob("日本*").matches("日本語"));
        assertFalse(Wildcard.vsftpd("{日,月}本").matches("火本"));
    }

    @Test
    void vsftpdAlternativesNestAndHoldPatterns() {
        Wildcard p = Wildcard.vsftpd("{*.mp3,*.mov,.private,x{1,2?}}");
        assertTrue(p.matches("song.mp3"));
        assertTrue(p.matches(".private"));
        assertTrue(p.matches("x1"));
        assertTrue(p.matches("x2z"));
        assertFalse(p.matches("x2"));
        assertFalse(p.matches("x.private"));
        assertTrue(Wildcard.vsftpd("{}x").matches("x"), "an empty group matches nothing");
        assertTrue(Wildcard.vsftpd("a{b,}").matches("a"));
        assertTrue(Wildcard.vsftpd("{b,a*}*").matches("bxyz"), "the star after a group is its own");
        assertTrue(Wildcard.vsftpd("[a]").matches("[a]"), "no classes in vsftpd patterns");
        assertThrows(IllegalArgumentException.class, () -> Wildcard.vsftpd("{a,{b}"));
        assertThrows(IllegalArgumentException.class, () -> Wildcard.vsftpd("a}{"));
    }

    @Test
    void vsftpdPatternsAreCappedOnceExpanded() {
        Wildcard many = Wildcard.vsftpd("{a,b}".repeat(8)); // 256 alternatives of 8 characters
        assertTrue(many.matches("abababab"));
        assertFalse(many.matches("abababac"));
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> Wildcard.vsftpd("{a,b}".repeat(12)));
        assertTrue(tooMany.getMessage().contains("more than 4096 characters"), tooMany.getMessage());
    }

    @Test
    void clientPatternsAreCapped() {
        Wildcard.glob("*".repeat(Wildcard.MAX_STARS) + "x".repeat(Wildcard.MAX_LENGTH - Wildcard.MAX_STARS));
        Wildcard.TooComplex stars = assertThrows(Wildcard.TooComplex.class,
                () -> Wildcard.glob("a*".repeat(Wildcard.MAX_STARS + 1)));
        assertEquals("Pattern too complex: at most 16 '*'.", stars.getMessage());
        Wildcard.TooComplex length = assertThrows(Wildcard.TooComplex.class,
                () -> Wildcard.glob("x".repeat(Wildcard.MAX_LENGTH + 1)));
        assertEquals("Pattern too long: at most 256 characters.", length.getMessage());
    }

    /**
     * Patterns that make a backtracking matcher try every way to split the name (seconds to
     * hours with java.util.regex) run here in (name length) x (pattern length) steps. The
     * bound is only a sanity check on a shared machine; WildcardBenchmark measures.
     */
    @Test
    void hostilePatternsTakeMicroseconds() {
        String name60 = "a".repeat(60);
        String name4k = "a".repeat(4096);
        String[] globs = {"******!", "*a*a*a*a*a*a*b", "*".repeat(16) + "b", "*?*?*?*?*?*?*?*?*!"};
        String[] vsftpd = {"{*a,*b}{*a,*b}{*a,*b}{*a,*b}{*a,*b}{*a,*b}!", "{{{{*a,*}*,a*}*,*a}*,*}*!"};
        for (int round = 0; round < 3; round++) { // the first round includes class loading and the JIT
            long start = System.nanoTime();
            for (String glob : globs) {
                assertFalse(Wildcard.glob(glob).matches(name60));
                assertFalse(Wildcard.glob(glob).matches(name4k));
            }
            for (String pattern : vsftpd) {
                assertFalse(Wildcard.vsftpd(pattern).matches(name4k));
            }
            long micros = (System.nanoTime() - start) / 1000;
            assertTrue(micros < 2_000_000, "hostile patterns took " + micros + " µs");
        }
    }

    /**
     * The new matcher against the regexes Ferry built before (ListingCommands.glob and
     * NamePattern up to commit 9f9410a), on random patterns and names over an alphabet of the
     * characters that mean something: the same answers, the same refusals.
     */
    @Test
    void agreesWithTheRegexesItReplaces() {
        Random random = new Random(42);
        String alphabet = "ab-!^[]*?{},\\";
        for (int i = 0; i < 20_000; i++) {
            String pattern = random(random, alphabet, 7);
            String name = random(random, "ab-!^[]{},\\", 5);
            assertEquals(oldGlob(pattern).matcher(name).matches(), Wildcard.glob(pattern).matches(name),
                    "glob '" + pattern + "' on '" + name + "'");
            Optional<Pattern> old = oldVsftpd(pattern);
            if (old.isEmpty()) {
                assertThrows(IllegalArgumentException.class, () -> Wildcard.vsftpd(pattern), pattern);
            } else {
                assertEquals(old.get().matcher(name).matches(), Wildcard.vsftpd(pattern).matches(name),
                        "vsftpd '" + pattern + "' on '" + name + "'");
            }
        }
    }

    private static String random(Random random, String alphabet, int maxLength) {
        StringBuilder out = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /** ListingCommands.glob before this class replaced it. */
    private static Pattern oldGlob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[' -> {
                    int end = pattern.indexOf(']', i + 1);
                    if (end < 0) {
                        regex.append("\\[");
                    } else {
                        String body = pattern.substring(i + 1, end);
                        boolean negate = body.startsWith("!") || body.startsWith("^");
                        regex.append('[').append(negate ? "^" : "");
                        for (char member : (negate ? body.substring(1) : body).toCharArray()) {
                            if ("\\[]&^".indexOf(member) >= 0) {
                                regex.append('\\');
                            }
                            regex.append(member);
                        }
                        regex.append(']');
                        i = end;
                    }
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            return Pattern.compile(regex.toString(), Pattern.DOTALL);
        } catch (PatternSyntaxException malformed) {
            return Pattern.compile(Pattern.quote(pattern));
        }
    }

    /** NamePattern's regex before this class replaced it; empty where it refused the pattern. */
    private static Optional<Pattern> oldVsftpd(String text) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '*' -> out.append(".*");
                case '?' -> out.append('.');
                case '{' -> {
                    depth++;
                    out.append("(?:");
                }
                case '}' -> {
                    if (depth == 0) {
                        return Optional.empty();
                    }
                    depth--;
                    out.append(')');
                }
                case ',' -> out.append(depth > 0 ? "|" : ",");
                default -> out.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return depth == 0 ? Optional.of(Pattern.compile(out.toString(), Pattern.DOTALL)) : Optional.empty();
    }
}
