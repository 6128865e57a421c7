package dev.ferry.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Users files as they are found (copied shadow lines, htpasswd output, Windows line ends, typos):
 * {@link UserStore#parse} returns a store or throws {@link UsersFileException} naming
 * {@code FILE:LINE} in one line, never anything else; every user it keeps has a name without
 * blanks or control characters; no message copies the hash field.
 */
class UsersFileFuzzTest {

    /**
     * A valid hash whose dummy (made at load time, as costly as the hash) takes more than a few
     * milliseconds: the operator's choice, not a bug, and it would only slow the fuzzer down.
     */
    private static final Pattern EXPENSIVE = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$|rounds=(\\d+)");

    @FuzzTest(maxDuration = "60s")
    void usersFile(byte[] input) throws IOException {
        String text;
        try {
            // Files.readAllLines: strict UTF-8 (a malformed file is refused as a whole), lines split at CR, LF, CRLF
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(input)).toString();
        } catch (CharacterCodingException e) {
            return;
        }
        if (expensive(text)) {
            return;
        }
        List<String> lines = new BufferedReader(new StringReader(text)).lines().toList();
        UserStore store;
        try {
            store = UserStore.parse("users", lines);
        } catch (UsersFileException e) {
            String message = e.getMessage();
            assertTrue(message.startsWith("users:" + e.line() + ": "), message);
            assertTrue(e.line() >= 1 && e.line() <= lines.size(), message);
            assertTrue(message.indexOf('\n') < 0 && message.indexOf('\r') < 0, message);
            String[] fields = lines.get(e.line() - 1).strip().split(":", -1);
            String hash = fields.length > 1 ? fields[1] : "";
            if (hash.length() >= 8 && message.contains(hash)) {
                String shown = fields[0] + (fields.length > 3 ? ":" + fields[3] : "");
                assertTrue(shown.contains(hash), "the hash field is in the message: " + message);
            }
            return;
        }
        for (User user : store.users()) {
            assertTrue(!user.name().isEmpty() && user.name().chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)),
                    "kept a name that no USER command can carry: " + user.name());
            assertEquals(user, store.find(user.name()).orElseThrow());
        }
    }

    private static boolean expensive(String text) {
        Matcher m = EXPENSIVE.matcher(text);
        while (m.find()) {
            boolean slow = m.group(1) != null
                    ? Integer.parseInt(m.group(1)) > 6 && Integer.parseInt(m.group(1)) <= 31 // bcrypt's range is 4..31
                    : m.group(2).length() > 5 || Integer.parseInt(m.group(2)) > 20000;
            if (slow) {
                return true;
            }
        }
        return false;
    }
}
