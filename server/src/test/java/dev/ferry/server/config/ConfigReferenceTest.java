package dev.ferry.server.config;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.storage.StorageProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void readmeHoldsTheGeneratedReference() throws IOException, ConfigException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int start = readme.indexOf(ConfigReference.START + "\n");
        int end = readme.indexOf(ConfigReference.END, Math.max(start, 0));
        if (start < 0 || end < 0) {
            fail(README.toAbsolutePath().normalize() + " needs a line " + ConfigReference.START
                    + " and, after it, a line " + ConfigReference.END);
        }
        int from = start + ConfigReference.START.length() + 1;
        String generated = ConfigReference.markdown(CoreDirectives.ALL, StorageProvider.installed());
        String current = readme.substring(from, end);
        if (current.equals(generated)) {
            return;
        }
        if (Boolean.getBoolean("ferry.updateReadme")) {
            Files.writeString(README, readme.substring(0, from) + generated + readme.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        fail("The configuration reference in " + README.toAbsolutePath().normalize()
                + " differs from the directive table " + firstDifference(current, generated)
                + "\nRegenerate it: mvn -q -pl server -am test -Dtest=ConfigReferenceTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dferry.updateReadme=true");
    }

    /** Where the README first departs from the generated text, so the failure is readable. */
    private static String firstDifference(String current, String generated) {
        List<String> have = current.lines().toList();
        List<String> want = generated.lines().toList();
        for (int i = 0; i < Math.max(have.size(), want.size()); i++) {
            String h = i < have.size() ? have.get(i) : "(end of section)";
            String w = i < want.size() ? want.get(i) : "(end of section)";
            if (!h.equals(w)) {
                return "at line " + (i + 1) + " of the section: README has\n  " + h + "\nbut the table gives\n  " + w;
            }
        }
        return "in line endings";
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
        String generated = ConfigReference.markdown(List.of(d));
        assertTrue(generated.contains("| `x` | string | `a\\|b` | one \\| two |"), generated);
    }
}
