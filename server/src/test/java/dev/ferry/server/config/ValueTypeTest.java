package dev.ferry.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ValueTypeTest {

    @ParameterizedTest
    @ValueSource(strings = {"YES", "yes", "Yes", "TRUE", "true", "1"})
    void vsftpdTrueSpellings(String text) {
        assertTrue(new ValueType.Bool().parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NO", "no", "FALSE", "False", "0"})
    void vsftpdFalseSpellings(String text) {
        assertFalse(new ValueType.Bool().parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Y", "on", "2", "", "YES # on"})
    void otherBooleansAreRefused(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> new ValueType.Bool().parse(text));
        assertEquals("expected YES or NO (also TRUE/FALSE or 1/0)", e.getMessage());
    }

    @Test
    void integersAreDecimalWithinBounds() {
        var type = new ValueType.Int(0, 65535);
        assertEquals(0, type.parse("0"));
        assertEquals(65535, type.parse("65535"));
        for (String bad : List.of("65536", "-1", "+5", "abc", "1e3", "99999999999999999999", "")) {
            var e = assertThrows(IllegalArgumentException.class, () -> type.parse(bad), bad);
            assertEquals("expected a whole number from 0 to 65535", e.getMessage());
        }
    }

    @Test
    void aLeadingZeroIsRefusedBecauseVsftpdReadsItAsOctal() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ValueType.Int(0, 65535).parse("021"));
        assertTrue(e.getMessage().contains("without a leading 0 (vsftpd would read '021' as octal)"), e.getMessage());
    }

    @Test
    void octalModes() {
        var type = new ValueType.Octal(0777);
        assertEquals(022, type.parse("022"));
        assertEquals(0, type.parse("0"));
        assertEquals(0777, type.parse("0777"));
        assertEquals("022", type.format(022));
        assertEquals("0666", new ValueType.Octal(07777).format(0666));
        var decimal = assertThrows(IllegalArgumentException.class, () -> type.parse("22"));
        assertTrue(decimal.getMessage().contains("vsftpd would read '22' as decimal"), decimal.getMessage());
        assertThrows(IllegalArgumentException.class, () -> type.parse("08"));
        assertThrows(IllegalArgumentException.class, () -> type.parse("01000"));
    }

    @Test
    void pathsListsAndSeconds() {
        assertEquals(Optional.of(Path.of("/srv/ftp")), new ValueType.FilePath().parse("/srv/ftp"));
        assertEquals(Optional.empty(), new ValueType.FilePath().parse(""));
        assertEquals(List.of("PASV", "RETR", "QUIT"), new ValueType.Words().parse("PASV, RETR ,QUIT"));
        assertEquals(List.of(), new ValueType.Words().parse(""));
        assertThrows(IllegalArgumentException.class, () -> new ValueType.Words().parse("PASV,,RETR"));
        assertEquals(Duration.ofMinutes(10), new ValueType.Seconds(Integer.MAX_VALUE).parse("600"));
        assertThrows(IllegalArgumentException.class, () -> new ValueType.Seconds(Integer.MAX_VALUE).parse("10s"));
    }
}
