package dev.ferry.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.storage.StoragePath;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Client path text through {@link StoragePath#resolve} as a session does it (the working
 * directory, then {@code under} the user's root): the result is always at or under the root, no
 * segment is empty, {@code .}, {@code ..} or holds '/', NUL, CR or LF, it equals a plain lexical
 * walk of the text, and the only refusal is {@link StoragePath.InvalidPathException}.
 */
class PathResolutionFuzzTest {

    private static final StoragePath ROOT = StoragePath.parse("/srv/ftp/alice");

    @FuzzTest(maxDuration = "60s")
    void resolve(FuzzedDataProvider data) {
        String cwdText = data.consumeString(64);
        String text = data.consumeRemainingAsString();
        StoragePath cwd;
        try {
            cwd = StoragePath.ROOT.resolve(cwdText);
        } catch (StoragePath.InvalidPathException e) {
            cwd = StoragePath.ROOT;
        }
        StoragePath visible;
        try {
            visible = cwd.resolve(text);
        } catch (StoragePath.InvalidPathException e) {
            assertTrue(hasForbidden(text), "refused without a forbidden character: " + text);
            return;
        }
        StoragePath real = visible.under(ROOT);
        assertTrue(ROOT.contains(real), real + " escaped " + ROOT);
        assertEquals(visible, real.relativeTo(ROOT));
        for (String segment : real.segments()) {
            assertTrue(!segment.isEmpty() && !segment.equals(".") && !segment.equals(".."), "segment " + segment);
            assertTrue(!hasForbidden(segment) && segment.indexOf('/') < 0, "segment " + segment);
        }
        assertEquals(walk(cwd.segments(), text), visible.segments());
        assertEquals(visible, StoragePath.parse(visible.toString()), "toString does not parse back");
        String quoted = Paths.quote(visible);
        assertTrue(quoted.indexOf('\r') < 0 && quoted.indexOf('\n') < 0, "a 257 reply would break: " + quoted);
    }

    private static boolean hasForbidden(String text) {
        return text.indexOf('\0') >= 0 || text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0;
    }

    /** The reference: a stack of names, {@code ..} pops (never past the top), absolute text starts empty. */
    private static List<String> walk(List<String> cwd, String text) {
        Deque<String> stack = new ArrayDeque<>(text.startsWith("/") ? List.of() : cwd);
        for (String part : text.split("/", -1)) {
            switch (part) {
                case "", "." -> { }
                case ".." -> stack.pollLast();
                default -> stack.addLast(part);
            }
        }
        return List.copyOf(stack);
    }
}
