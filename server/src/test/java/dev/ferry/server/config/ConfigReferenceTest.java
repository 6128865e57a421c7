package dev.ferry.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps the reference in README.md equal to the directive table. Regenerate it with
 * {@code mvn -q -pl server -am test -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dferry.updateReadme=true}.
 */
class ConfigReferenceTest {

    // Surefire runs in the server module's directory; README.md is at the project's top.
    private static final Path README = Path.of("..", "README.md");

    @Test
    void readmeHoldsTheGeneratedReference() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int start = readme.indexOf(ConfigReference.START + "\n");
        int end = readme.indexOf(ConfigReference.END, Math.max(start, 0));
        if (start < 0 || end < 0) {
            fail(README.toAbsolutePath().normalize() + " needs a line " + ConfigReference.START
                    + " and, after it, a line " + ConfigReference.END);
        }
        int from = start + ConfigReference.START.length() + 1;
        String generated = ConfigReference.markdown(CoreDirectives.ALL);
        String current = readme.substring(from, end);
        if (current.equals(generated)) {
            return;
        }
        if (Boolean.getBoolean("ferry.updateReadme")) {
            Files.writeString(README, readme.substring(0, from) + generated + readme.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertEquals(generated, current, "The configuration reference in " + README.toAbsolutePath().normalize()
                + " differs from the directive table. Regenerate it: mvn -q -pl server -am test "
                + "-Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dferry.updateReadme=true");
    }

    @Test
    void everyDirectiveHasARow() {
        String generated = ConfigReference.markdown(CoreDirectives.ALL);
        for (Directive<?> directive : CoreDirectives.ALL) {
            assertTrue(generated.contains("| `" + directive.name() + "` |"), directive.name());
        }
    }

    @Test
    void pipesInHelpAreEscaped() {
        Directive<String> d = new Directive<>("x", new ValueType.Text(), "a|b", "one | two",
                Directive.Status.SUPPORTED);
        String generated = ConfigReference.markdown(java.util.List.of(d));
        assertTrue(generated.contains("| `x` | string | `a\\|b` | one \\| two |"), generated);
    }
}
