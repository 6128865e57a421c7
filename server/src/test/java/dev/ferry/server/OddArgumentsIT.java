package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.protocol.Verb;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every verb with odd arguments: each command gets exactly one well-formed reply and the session
 * answers the next command. A handler that throws must not end the session without a reply.
 */
@Timeout(120)
class OddArgumentsIT {

    /** These end or reset the session, or open data connections that a transfer would then wait for. */
    private static final Set<Verb> SKIPPED = Set.of(Verb.QUIT, Verb.REIN, Verb.PASV, Verb.EPSV, Verb.PORT, Verb.EPRT);

    private static final List<String> ARGUMENTS = List.of("", " ", "  x  ", "/", "..", "../..", "*", "?", "[", "]",
            "[]", "[!]", "[z-a]", "dir/[z-a]", "\\", "-", "--", "-la", "-la [z-a]", "a b", "%s%n%x", "\u00ff\u00fe",
            "\u6f22\u5b57", "ALL", "|||", "|1|127.0.0.1|0|", "1,2,3", "99999999999999999999", "-1",
            "20201301000000 file.txt", "99991231235959 file.txt", "00000000000000 file.txt", "CHMOD", "CHMOD 7777 /",
            "CHMOD 644 [z-a]", "MLST ;;;type;;", "UTF8 OFF", "L", "x".repeat(4000));

    @TempDir
    Path dir;

    @Test
    void everyVerbAnswersOddArgumentsAndTheSessionGoesOn() throws Exception {
        try (TestServer server = TestUsers.writable(dir).start()) {
            server.put("/file.txt", new byte[] {1, 2, 3});
            server.put("/dir/inner.txt", new byte[] {1});
            List<String> lines = new ArrayList<>();
            for (Verb verb : Verb.values()) {
                if (SKIPPED.contains(verb)) {
                    continue;
                }
                lines.add(verb.name());
                for (String argument : ARGUMENTS) {
                    lines.add(verb.name() + " " + argument);
                }
                for (String alias : verb.aliases()) {
                    lines.add(alias.toLowerCase(java.util.Locale.ROOT) + " [z-a]");
                }
            }
            // first read-only, so no MKD has made the odd names exist yet; then with write permission
            try (RawClient client = RawClient.anonymous(server.port())) {
                answersAll(client, lines);
            }
            try (RawClient client = RawClient.connect(server.port())) {
                assertEquals(331, client.command("USER writer").code());
                assertEquals(230, client.command("PASS secret").code());
                answersAll(client, lines);
            }
        }
    }

    private static void answersAll(RawClient client, List<String> lines) throws Exception {
        for (String line : lines) {
            RawClient.Reply reply;
            try {
                reply = client.command(line);
            } catch (java.io.IOException e) {
                throw new AssertionError("no reply to '" + shorten(line) + "': " + e.getMessage(), e);
            }
            assertTrue(reply.code() >= 200 && reply.code() < 600, shorten(line) + " -> " + reply);
            RawClient.Reply noop = client.command("NOOP");
            assertEquals(200, noop.code(), "after '" + shorten(line) + "' -> " + reply + ": " + noop);
        }
    }

    /**
     * A shell pattern whose class is malformed for java.util.regex ({@code [z-a]}, {@code []}) matches
     * nothing, like a pattern that matches no name: no "local error".
     */
    @Test
    void malformedPatternsMatchNothing() throws Exception {
        try (TestServer server = TestServer.builder().start();
             RawClient client = RawClient.anonymous(server.port())) {
            server.put("/file.txt", new byte[] {1});
            assertEquals(212, client.command("STAT nomatch*").code(), "the model: a pattern matching nothing");
            for (String pattern : List.of("[z-a]", "[]", "x[]y", "[b-a]*")) {
                RawClient.Reply reply = client.command("STAT " + pattern);
                assertEquals(212, reply.code(), pattern + " -> " + reply);
                assertEquals(2, reply.lines().size(), pattern + " -> " + reply);
            }
        }
    }

    private static String shorten(String line) {
        return line.length() > 60 ? line.substring(0, 60) + "..." : line;
    }
}
