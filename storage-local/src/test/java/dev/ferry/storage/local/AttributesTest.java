package dev.ferry.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MLST's unique id from the JDK's Unix file key: "dev-ino" in hex, the same for the same file. */
class AttributesTest {

    /** A file key that prints as the given text, as the JDK's does. */
    private record Key(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    @Test
    void theDeviceStaysHexAndTheInodeBecomesHex() {
        assertEquals("803-4d2", Attributes.uniqueId(new Key("(dev=803,ino=1234)")));
        assertEquals("fd01-0", Attributes.uniqueId(new Key("(dev=fd01,ino=0)")));
        assertEquals("803-7fffffffffffffff", Attributes.uniqueId(new Key("(dev=803,ino=9223372036854775807)")));
        // the JDK prints st_ino as a signed long: inodes of 2^63 and above come out negative
        assertEquals("803-ffffffffffffffff", Attributes.uniqueId(new Key("(dev=803,ino=-1)")));
    }

    @Test
    void anotherFormatBecomesLettersAndDigits() {
        assertEquals("-dev-803-ino-", Attributes.uniqueId(new Key("(dev=803,ino=)")));
        assertEquals("-dev-803-ino-12x-", Attributes.uniqueId(new Key("(dev=803,ino=12x)")));
        assertEquals("some-key-1", Attributes.uniqueId(new Key("some key 1")));
    }

    @Test
    void aRealFileKeyGivesItsInode(@TempDir Path dir) throws Exception {
        Path file = Files.createFile(dir.resolve("f"));
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        long inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
        long device = ((Number) Files.getAttribute(file, "unix:dev")).longValue();
        assertEquals(Long.toHexString(device) + "-" + Long.toHexString(inode), Attributes.uniqueId(key));
    }
}
