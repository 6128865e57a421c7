package dev.ferry.server.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.listing.MlsxFormat.Fact;
import dev.ferry.server.listing.MlsxFormat.Right;
import dev.ferry.server.listing.MlsxFormat.Role;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StoragePath;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.parser.MLSxEntryParser;
import org.junit.jupiter.api.Test;

class MlsxFormatTest {

    static final Instant T = Instant.parse("2026-11-24T12:00:00Z");
    static final Set<Right> ALL = EnumSet.allOf(Right.class);
    static final MlsxFormat FORMAT = MlsxFormat.all();

    static FileInfo file(String name, long size, Instant modified) {
        return FileInfo.file(StoragePath.ROOT.child(name), size, modified);
    }

    static FileInfo dir(String name) {
        return FileInfo.directory(StoragePath.ROOT.child(name), T);
    }

    static FileInfo withId(FileInfo info, String id) {
        return new FileInfo(info.path(), info.type(), info.size(), info.modified(),
                info.permissions(), Optional.of(id));
    }

    @Test
    void fileEntry() {
        assertEquals("type=file;size=123;modify=20261124120000;perm=adfrw; report.txt",
                FORMAT.entry(file("report.txt", 123, T), ALL));
        assertEquals("type=file;size=123;modify=20261124120000;perm=r;unique=803g1a2b; report.txt",
                FORMAT.entry(withId(file("report.txt", 123, T), "803g1a2b"), Set.of(Right.READ)));
    }

    @Test
    void directoryEntriesHaveNoSizeAndDirectoryLetters() {
        assertEquals("type=dir;modify=20261124120000;perm=cdeflmp; pub", FORMAT.entry(dir("pub"), ALL));
        assertEquals("type=cdir;modify=20261124120000;perm=el; .",
                FORMAT.entry(dir("pub"), ".", Set.of(Right.ENTER, Right.LIST, Right.READ), Role.CURRENT));
        assertEquals("type=pdir;modify=20261124120000;perm=el; ..",
                FORMAT.entry(dir("up"), "..", Set.of(Right.ENTER, Right.LIST), Role.PARENT));
        // MLST of a path: the name is the path the client asked about.
        assertEquals("type=dir;modify=20261124120000;perm=; /pub/incoming",
                FORMAT.entry(dir("incoming"), "/pub/incoming", Set.of(), Role.ENTRY));
    }

    @Test
    void permLettersDependOnTheType() {
        FileInfo f = file("f", 1, T);
        FileInfo d = dir("d");
        assertEquals("r", MlsxFormat.perm(f, Set.of(Right.READ, Right.LIST, Right.ENTER, Right.MKDIR)));
        assertEquals("", MlsxFormat.perm(d, Set.of(Right.READ, Right.WRITE, Right.APPEND)));
        assertEquals("df", MlsxFormat.perm(d, Set.of(Right.DELETE, Right.RENAME)));
        assertEquals("df", MlsxFormat.perm(f, Set.of(Right.DELETE, Right.RENAME)));
        assertEquals("cm", MlsxFormat.perm(d, Set.of(Right.CREATE_FILE, Right.MKDIR)));
        assertEquals("aw", MlsxFormat.perm(f, Set.of(Right.WRITE, Right.APPEND)));
    }

    @Test
    void modifyIsUtcWithMillisecondsOnlyWhenPresent() {
        assertEquals("type=file;size=0;modify=20261124120000.042;perm=; x",
                FORMAT.entry(file("x", 0, T.plusMillis(42)), Set.of()));
        assertEquals("type=file;size=0;modify=20261124120000.999;perm=; x",
                FORMAT.entry(file("x", 0, T.plusNanos(999_999_999)), Set.of()));
        assertEquals("type=file;size=0;modify=20261124120000;perm=; x",
                FORMAT.entry(file("x", 0, T.plusNanos(999_999)), Set.of()));
        assertEquals("type=file;size=0;modify=00010101000000;perm=; x",
                FORMAT.entry(file("x", 0, Instant.parse("0001-01-01T00:00:00Z")), Set.of()));
    }

    @Test
    void namesAreKeptAfterOneBlank() {
        assertEquals("type=file;size=1;modify=20261124120000;perm=r; a;b=c d  e",
                FORMAT.entry(file("a;b=c d  e", 1, T), Set.of(Right.READ)));
        assertEquals("type=file;size=1;modify=20261124120000;perm=r;  leading",
                FORMAT.entry(file(" leading", 1, T), Set.of(Right.READ)));
        assertEquals("type=file;size=1;modify=20261124120000;perm=r; Grüße 日本.txt",
                FORMAT.entry(file("Grüße 日本.txt", 1, T), Set.of(Right.READ)));
    }

    @Test
    void featAndOptsFollowRfc3659Section7() {
        assertEquals("MLST type*;size*;modify*;perm*;unique*;", FORMAT.featLine());
        assertEquals("MLST OPTS type;size;modify;perm;unique;", FORMAT.optsReply());

        MlsxFormat some = FORMAT.withOpts("type;size;");
        assertEquals("MLST OPTS type;size;", some.optsReply());
        assertEquals("MLST type*;size*;modify;perm;unique;", some.featLine());
        assertEquals("type=file;size=7; a", some.entry(file("a", 7, T), ALL));

        // Case-insensitive, unknown names ignored, order of the request irrelevant.
        assertEquals("MLST OPTS type;modify;", FORMAT.withOpts("Modify;bogus;TYPE;").optsReply());
        // No argument: no facts, and an entry is just the blank and the name.
        MlsxFormat none = FORMAT.withOpts("");
        assertEquals("MLST OPTS", none.optsReply());
        assertEquals(" a", none.entry(file("a", 7, T), ALL));
        assertEquals("MLST OPTS", FORMAT.withOpts(null).optsReply());
    }

    @Test
    void unsupportedFactsCannotBeEnabled() {
        MlsxFormat noUnique = MlsxFormat.of(EnumSet.of(Fact.TYPE, Fact.SIZE, Fact.MODIFY, Fact.PERM));
        assertEquals("MLST type*;size*;modify*;perm*;", noUnique.featLine());
        assertEquals("MLST OPTS size;", noUnique.withOpts("unique;size;").optsReply());
        assertThrows(IllegalArgumentException.class,
                () -> new MlsxFormat(Set.of(Fact.TYPE), Set.of(Fact.SIZE)));
        // unique is left out where the storage has no id for the entry.
        assertFalse(FORMAT.entry(file("a", 1, T), ALL).contains("unique="));
        // An id that would end the facts early is not shown.
        assertEquals("type=file;size=1;modify=20261124120000;perm=; a",
                FORMAT.entry(withId(file("a", 1, T), "etag; x"), Set.of()));
    }

    // Round trips through Commons Net's MLSD parser.

    static FTPFile parse(String line) {
        FTPFile parsed = MLSxEntryParser.parseEntry(line);
        assertNotNull(parsed, () -> "Commons Net could not parse: " + line);
        return parsed;
    }

    @Test
    void commonsNetReadsFiles() {
        Instant modified = Instant.parse("2025-06-30T23:59:58Z");
        FTPFile parsed = parse(FORMAT.entry(withId(file("Grüße 日本 a;b.txt", 9_876_543_210L, modified), "u1"),
                Set.of(Right.READ, Right.WRITE)));
        assertEquals("Grüße 日本 a;b.txt", parsed.getName());
        assertEquals(9_876_543_210L, parsed.getSize());
        assertTrue(parsed.isFile());
        assertEquals(modified, parsed.getTimestampInstant());
        assertTrue(parsed.hasPermission(FTPFile.USER_ACCESS, FTPFile.READ_PERMISSION));
        assertTrue(parsed.hasPermission(FTPFile.USER_ACCESS, FTPFile.WRITE_PERMISSION));
    }

    @Test
    void commonsNetReadsMilliseconds() {
        Instant modified = Instant.parse("2025-06-30T23:59:58.125Z");
        FTPFile parsed = parse(FORMAT.entry(file("ms", 1, modified), Set.of()));
        assertEquals(modified, parsed.getTimestampInstant());
    }

    @Test
    void commonsNetReadsDirectories() {
        FTPFile parsed = parse(FORMAT.entry(dir("my dir"), ALL));
        assertEquals("my dir", parsed.getName());
        assertTrue(parsed.isDirectory());
        assertEquals(T, parsed.getTimestampInstant());
        FTPFile current = parse(FORMAT.entry(dir("x"), ".", ALL, Role.CURRENT));
        assertEquals(".", current.getName());
        assertTrue(current.isDirectory());
    }

    /** One MLSD's lines keep the last modify fact: each entry must still show its own time. */
    @Test
    void linesOfOneListingShowEachEntrysOwnTime() {
        Instant[] times = {T, T, T.plusMillis(5), T.plusMillis(5).plusNanos(1), T.plusSeconds(1), T};
        String[] expected = {"20261124120000", "20261124120000", "20261124120000.005", "20261124120000.005",
            "20261124120001", "20261124120000"};
        MlsxFormat.Lines lines = FORMAT.lines();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < times.length; i++) {
            FileInfo info = file("f" + i, i, times[i]);
            out.setLength(0);
            lines.append(out, info, info.name(), ALL, Role.ENTRY);
            assertEquals(FORMAT.entry(info, ALL), out.toString());
            assertTrue(out.toString().contains("modify=" + expected[i] + ";"), out.toString());
        }
    }
}
