package dev.ferry.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NamePatternTest {

    private static NamePattern pattern(String text) {
        return NamePattern.parse(text).orElseThrow();
    }

    @Test
    void starQuestionMarkAndAlternatives() {
        NamePattern p = pattern("{*.mp3,*.mov,.private,file?.txt}");
        assertTrue(p.matches("song.mp3"));
        assertTrue(p.matches(".mp3"));
        assertTrue(p.matches("clip.mov"));
        assertTrue(p.matches(".private"));
        assertTrue(p.matches("file1.txt"));
        assertFalse(p.matches("file10.txt"));
        assertFalse(p.matches("song.mp3.txt"));
        assertFalse(p.matches("x.private"));
    }

    @Test
    void everythingElseIsLiteral() {
        assertTrue(pattern("a.b[1]+(c)").matches("a.b[1]+(c)"));
        assertFalse(pattern("a.b").matches("aXb"));
        assertTrue(pattern("x,y").matches("x,y"), "a comma outside braces is a character");
        assertTrue(pattern("*.{jpg,png}").matches("cat.png"));
    }

    @Test
    void emptyMeansUnsetAndBracesMustBalance() {
        assertEquals(Optional.empty(), NamePattern.parse(""));
        assertThrows(IllegalArgumentException.class, () -> NamePattern.parse("{a,b"));
        assertThrows(IllegalArgumentException.class, () -> NamePattern.parse("a}"));
    }
}
