package dev.ferry.server.listing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The listing's byte buffer writes exactly what the UTF-8 Writer it replaced wrote. */
class ListingWriterTest {

    @Test
    void writesTheSameBytesAsAUtf8Writer() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("-rw-r--r--    1 ftp      ftp          4096 Nov 24 12:00 plain.txt");
        lines.add("");
        lines.add("name with blanks; and semicolons");
        lines.add("caf\u00e9 \u65e5\u672c\u8a9e \ud83d\ude00 emoji");
        lines.add("unpaired \ud800 surrogate");
        lines.add("x".repeat(ListingWriter.BUFFER - 1)); // fills the buffer to its last byte with CRLF
        lines.add("y".repeat(ListingWriter.BUFFER + 10)); // longer than the buffer
        lines.add("\u00e9".repeat(ListingWriter.BUFFER)); // encoded: twice the buffer
        for (int i = 0; i < 20_000; i++) {
            lines.add("entry-" + i + (i % 7 == 0 ? "-\u00fc" : ""));
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (Writer writer = new OutputStreamWriter(expected, StandardCharsets.UTF_8)) {
            for (String line : lines) {
                writer.write(line);
                writer.write("\r\n");
            }
        }
        ByteArrayOutputStream actual = new ByteArrayOutputStream();
        ListingWriter out = new ListingWriter(actual);
        StringBuilder reused = new StringBuilder();
        for (String line : lines) {
            reused.setLength(0);
            reused.append(line);
            out.line(reused);
        }
        out.flush();
        assertEquals(expected.size(), actual.size());
        assertArrayEquals(expected.toByteArray(), actual.toByteArray());
    }

    @Test
    void nothingIsWrittenBeforeTheBufferFillsOrAFlush() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ListingWriter out = new ListingWriter(sink);
        out.line("a");
        assertEquals(0, sink.size());
        out.flush();
        assertEquals("a\r\n", sink.toString(StandardCharsets.UTF_8));
    }
}
