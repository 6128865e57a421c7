package dev.ferry.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** MLST's unique id as a backend may leave it: made when asked, once, and equal by value. */
class FileInfoTest {

    private static final Instant TIME = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void aLaterIdIsMadeOnlyWhenAskedAndOnce() {
        AtomicInteger made = new AtomicInteger();
        FileInfo info = new FileInfo(StoragePath.parse("/a/b.txt"), FileInfo.Type.FILE, 3, TIME, Optional.of(0644),
                FileInfo.UniqueId.later(() -> {
                    made.incrementAndGet();
                    return Optional.of("803-1f");
                }));
        FileInfo moved = info.at(StoragePath.parse("/b.txt"));
        assertEquals("b.txt", moved.name());
        assertEquals(0, made.get(), "listing and re-rooting an entry must not make its id");
        assertEquals(Optional.of("803-1f"), moved.uniqueId());
        assertEquals(Optional.of("803-1f"), info.uniqueId());
        assertEquals(1, made.get());
    }

    @Test
    void idsCompareByValueWhetherMadeNowOrLater() {
        StoragePath path = StoragePath.parse("/x");
        FileInfo known = new FileInfo(path, FileInfo.Type.FILE, 1, TIME, Optional.empty(), Optional.of("1-2"));
        FileInfo later = new FileInfo(path, FileInfo.Type.FILE, 1, TIME, Optional.empty(),
                FileInfo.UniqueId.later(() -> Optional.of("1-2")));
        assertEquals(known, later);
        assertEquals(known.hashCode(), later.hashCode());
        assertNotEquals(known, new FileInfo(path, FileInfo.Type.FILE, 1, TIME, Optional.empty(), Optional.of("1-3")));
        assertEquals(FileInfo.file(path, 1, TIME),
                new FileInfo(path, FileInfo.Type.FILE, 1, TIME, Optional.empty(), Optional.empty()));
        assertSame(FileInfo.UniqueId.NONE, FileInfo.file(path, 1, TIME).unique());
    }
}
