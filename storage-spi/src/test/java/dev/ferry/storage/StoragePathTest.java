package dev.ferry.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.StoragePath.InvalidPathException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoragePathTest {

    private static final StoragePath PUB = StoragePath.parse("/pub/incoming");

    @Test
    void dotDotStopsAtTheRoot() {
        assertEquals(StoragePath.ROOT, PUB.resolve("../../../.."));
        assertEquals(StoragePath.parse("/etc/passwd"), PUB.resolve("../../../../etc/passwd"));
        assertEquals(StoragePath.parse("/etc"), StoragePath.ROOT.resolve("/../etc"));
    }

    @Test
    void dotDotRemovesOneSegment() {
        assertEquals(StoragePath.parse("/pub/other"), PUB.resolve("../other"));
    }

    @Test
    void percentEncodedDotsAreALiteralName() {
        StoragePath path = PUB.resolve("%2e%2e/x");
        assertEquals(List.of("pub", "incoming", "%2e%2e", "x"), path.segments());
    }

    @Test
    void threeDotsAreAnOrdinaryName() {
        assertEquals(List.of("..."), StoragePath.ROOT.resolve("...").segments());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\0b", "a\rb", "a\nb", "dir/evil\r\nDELE x", "\0"})
    void nulCarriageReturnAndLineFeedAreRejected(String text) {
        assertThrows(InvalidPathException.class, () -> PUB.resolve(text));
        assertThrows(InvalidPathException.class, () -> StoragePath.parse("/" + text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "x\0", "x\n"})
    void childRejectsAnythingButOneValidName(String name) {
        assertThrows(InvalidPathException.class, () -> PUB.child(name));
    }

    @Test
    void constructorValidatesSegments() {
        assertThrows(InvalidPathException.class, () -> new StoragePath(List.of("a", "..")));
        assertThrows(InvalidPathException.class, () -> new StoragePath(List.of("")));
    }

    @Test
    void doubleSlashesAndSingleDotsCollapse() {
        assertEquals(StoragePath.parse("/a/b/c"), StoragePath.ROOT.resolve("//a///b/./c//"));
        assertEquals(StoragePath.ROOT, StoragePath.parse("//"));
    }

    @Test
    void absoluteTextStartsAtTheRoot() {
        assertEquals(StoragePath.parse("/x/y"), PUB.resolve("/x/y"));
    }

    @Test
    void relativeTextStartsAtTheCurrentDirectory() {
        assertEquals(StoragePath.parse("/pub/incoming/x/y"), PUB.resolve("x/y"));
        assertEquals(PUB, PUB.resolve(""));
        assertEquals(PUB, PUB.resolve("."));
    }

    @Test
    void parentOfTheRootIsTheRoot() {
        assertEquals(StoragePath.ROOT, StoragePath.ROOT.parent());
        assertEquals(StoragePath.parse("/pub"), PUB.parent());
        assertTrue(StoragePath.ROOT.isRoot());
        assertEquals("", StoragePath.ROOT.name());
    }

    @Test
    void toStringJoinsSegments() {
        assertEquals("/", StoragePath.ROOT.toString());
        assertEquals("/pub/incoming", PUB.toString());
        assertEquals("incoming", PUB.name());
    }

    @Test
    void containsIsSegmentWiseNotAStringPrefix() {
        assertTrue(PUB.contains(PUB));
        assertTrue(PUB.contains(PUB.child("f")));
        assertFalse(PUB.contains(StoragePath.parse("/pub/incomingX")));
        assertFalse(PUB.contains(StoragePath.parse("/pub")));
        assertTrue(StoragePath.ROOT.contains(PUB));
    }

    @Test
    void relativeToAndUnderAreInverse() {
        StoragePath file = PUB.resolve("a/b");
        StoragePath relative = file.relativeTo(PUB);
        assertEquals(StoragePath.parse("/a/b"), relative);
        assertEquals(file, relative.under(PUB));
        assertThrows(IllegalArgumentException.class, () -> PUB.relativeTo(file));
    }

    @Test
    void spacesAndUnicodeSurviveResolve() {
        assertEquals(List.of("pub", "é ü 漢字.txt"), StoragePath.parse("/pub/é ü 漢字.txt").segments());
        assertEquals(List.of(" lead", "trail "), StoragePath.parse("/ lead/trail ").segments());
    }
}
