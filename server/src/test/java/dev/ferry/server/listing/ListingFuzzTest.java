package dev.ferry.server.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StoragePath;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * LIST and MLSx lines for hostile entries: any name a path can hold (blanks, leading digits,
 * ';', '=', Unicode line separators, 0xFF), any size, mode and unique id, and any time a backend
 * may report (FileTime clamps to Instant.MIN/MAX): each entry is exactly one line with the name
 * whole at its end, the ls columns are where clients look for them, and the MLSx facts keep the
 * RFC 3659 grammar (a 14-digit modify time, no ';' or blank inside a fact).
 */
class ListingFuzzTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final Pattern LS = Pattern.compile(
            "[d-][rwxsStT-]{9} {4}1 ftp {6}ftp {6} *\\d+ [A-Z][a-z]{2} \\d\\d (\\d{2}:\\d{2}| +-?\\d+) (.*)",
            Pattern.DOTALL);
    private static final Pattern FACTS = Pattern.compile(
            "(type=(file|dir|cdir|pdir);)?(size=\\d+;)?(modify=\\d{14}(\\.\\d{3})?;)?(perm=[a-z]*;)?(unique=[!-:<-~]+;)? (.*)",
            Pattern.DOTALL);

    @FuzzTest(maxDuration = "60s")
    void entries(FuzzedDataProvider data) {
        boolean directory = data.consumeBoolean();
        long size = directory ? 0 : data.consumeLong() & Long.MAX_VALUE;
        Instant modified = Instant.ofEpochSecond(data.consumeLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
                data.consumeInt(0, 999_999_999));
        Optional<Integer> mode = data.consumeBoolean() ? Optional.of(data.consumeInt(0, 07777)) : Optional.empty();
        Optional<String> unique = data.consumeBoolean() ? Optional.of(data.consumeString(40)) : Optional.empty();
        MlsxFormat.Role role = data.pickValue(MlsxFormat.Role.values());
        Set<MlsxFormat.Right> rights = EnumSet.noneOf(MlsxFormat.Right.class);
        for (MlsxFormat.Right right : MlsxFormat.Right.values()) {
            if (data.consumeBoolean()) {
                rights.add(right);
            }
        }
        String text = data.consumeRemainingAsString();
        StoragePath path;
        try {
            path = StoragePath.ROOT.resolve(text);
        } catch (StoragePath.InvalidPathException e) {
            return;
        }
        if (!path.isRoot()) {
            check(new FileInfo(path, directory ? FileInfo.Type.DIRECTORY : FileInfo.Type.FILE, size, modified, mode, unique),
                    rights, role);
        }
    }

    /** A backend's time beyond LocalDateTime (FileTime clamps to Instant.MIN/MAX) failed the listing. */
    @Test
    void extremeTimesStayListable() {
        for (Instant time : List.of(Instant.MIN, Instant.MAX, Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59Z"), Instant.EPOCH)) {
            FileInfo info = FileInfo.file(StoragePath.parse("/a b;c=d"), 1, time);
            check(info, EnumSet.allOf(MlsxFormat.Right.class), MlsxFormat.Role.ENTRY);
        }
        String ls = LsFormat.line(FileInfo.file(StoragePath.parse("/x"), 1, Instant.MAX), NOW);
        assertTrue(ls.contains(" Dec 31  9999 x"), ls);
        assertTrue(MlsxFormat.all().entry(FileInfo.file(StoragePath.parse("/x"), 1, Instant.MIN), Set.of())
                .contains("modify=00000101000000;"));
    }

    private static void check(FileInfo info, Set<MlsxFormat.Right> rights, MlsxFormat.Role role) {
        String name = info.name();

        String ls = LsFormat.line(info, NOW);
        oneLine(ls);
        var m = LS.matcher(ls);
        assertTrue(m.matches(), "LIST line out of shape: " + ls);
        assertEquals(name, m.group(2), "LIST name not kept whole");
        assertEquals(name, LsFormat.nlst(info));

        String mlsx = MlsxFormat.all().entry(info, name, rights, role);
        oneLine(mlsx);
        var f = FACTS.matcher(mlsx);
        assertTrue(f.matches(), "MLSx line out of shape: " + mlsx);
        assertEquals(name, f.group(8), "MLSx name not kept whole");
    }

    private static void oneLine(String line) {
        assertTrue(line.indexOf('\r') < 0 && line.indexOf('\n') < 0, "an entry of more than one line: " + line);
    }
}
