package dev.ferry.server.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;

/**
 * Whatever bytes a client sends on the control connection: the reader ends (one line per read,
 * never more reads than bytes), no line holds an LF or is longer than the cap, the parsed verb is
 * upper case without a blank, and a reply that quotes the line is one CRLF-terminated line.
 * Plain {@code mvn verify} runs the seeds under {@code ControlLineFuzzTestInputs}; README
 * (Hostile clients) says how to fuzz.
 */
class ControlLineFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void controlLines(byte[] input) throws IOException {
        ControlReader reader = new ControlReader(new ByteArrayInputStream(input));
        int reads = 0;
        while (true) {
            ControlReader.Line line = reader.read();
            reads++;
            assertTrue(reads <= input.length + 1, "more lines than bytes");
            if (line instanceof ControlReader.Line.End) {
                break;
            }
            if (line instanceof ControlReader.Line.Text(String text)) {
                assertFalse(text.indexOf('\n') >= 0, "LF inside a line");
                assertTrue(text.length() <= ControlReader.MAX_LINE, "line over the cap");
                Request request = Request.parse(text);
                assertEquals(request.verb().toUpperCase(Locale.ROOT), request.verb());
                assertFalse(request.verb().contains(" "), "blank in the verb");
                int space = text.indexOf(' ');
                assertEquals(space < 0 ? "" : text.substring(space + 1), request.argument(), "argument not kept exactly");
                assertSingleLine(Reply.of(500, "Unknown command '" + request.verb() + "'.").wire());
                assertSingleLine(Reply.of(550, request.argument() + ": No such file or directory.").wire());
                assertFalse(request.toString().startsWith("PASS ") && !request.toString().equals("PASS <hidden>"),
                        "a password in a log line");
            }
        }
    }

    static void assertSingleLine(String wire) {
        assertTrue(wire.endsWith("\r\n"), "reply without CRLF");
        String body = wire.substring(0, wire.length() - 2);
        assertFalse(body.indexOf('\r') >= 0 || body.indexOf('\n') >= 0, "CR or LF inside a reply: " + wire);
    }
}
