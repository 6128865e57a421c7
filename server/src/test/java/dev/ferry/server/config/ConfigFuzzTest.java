package dev.ferry.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.server.fuzz.NoLookups;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Config files and directive values as an operator (or a tool writing for one) might get them
 * wrong: the parser returns assignments or throws {@link ConfigException} whose message is one
 * line naming the file and line; a value type returns a value or throws
 * {@link IllegalArgumentException}, never asks DNS, and what it returns formats back to text that
 * parses to the same value.
 */
class ConfigFuzzTest {

    private static final ConfigParser PARSER = new ConfigParser(CoreDirectives.ALL);
    private static final List<ValueType<?>> TYPES = List.of(
            new ValueType.Bool(), new ValueType.Int(0, 65535), new ValueType.Int(1, Integer.MAX_VALUE),
            new ValueType.Long64(0, Long.MAX_VALUE), new ValueType.Octal(0777), new ValueType.Text(),
            new ValueType.FilePath(), new ValueType.Words(), new ValueType.Networks(),
            new ValueType.Seconds(Integer.MAX_VALUE));

    @FuzzTest(maxDuration = "60s")
    void configFile(byte[] input) throws Exception {
        String text = new String(input, java.nio.charset.StandardCharsets.UTF_8);
        try {
            List<ConfigParser.Assignment<?>> assignments = NoLookups.during(() -> PARSER.parse(Source.text("fuzz.conf", text)));
            for (ConfigParser.Assignment<?> assignment : assignments) {
                assertTrue(assignment.where().startsWith("fuzz.conf:"));
            }
        } catch (ConfigException e) {
            assertTrue(e.getMessage().startsWith("fuzz.conf:"), "message without file:line: " + e.getMessage());
            assertTrue(e.getMessage().indexOf('\n') < 0 && e.getMessage().indexOf('\r') < 0,
                    "message of several lines: " + e.getMessage());
        }
    }

    @FuzzTest(maxDuration = "60s")
    void directiveValue(FuzzedDataProvider data) throws Exception {
        ValueType<?> type = data.pickValue(TYPES);
        String text = data.consumeRemainingAsString();
        roundTrip(type, text);
    }

    /** Text that passed Cidr's character check but is no literal went to the system resolver. */
    @Test
    void networksNeverLookUpNames() throws Exception {
        for (String text : List.of("999.1.1.1", ".1.2.3", "1.2.3.4/8,.:", "::1,10.0.0.0/8", "01.2.3.4")) {
            roundTrip(new ValueType.Networks(), text);
        }
        assertThrows(IllegalArgumentException.class, () -> new ValueType.Networks().parse("999.1.1.1"));
    }

    private static <T> void roundTrip(ValueType<T> type, String text) throws Exception {
        T value;
        try {
            value = NoLookups.during(() -> type.parse(text));
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "a refusal without a reason");
            return;
        }
        String formatted = type.format(value);
        assertEquals(value, NoLookups.during(() -> type.parse(formatted)), type + ": '" + text + "' formats as '"
                + formatted + "', which parses differently");
    }
}
