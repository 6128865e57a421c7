package dev.ferry.server.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class LdapFilterTest {

    @Test
    void namesAreEscapedAsAssertionValues() {
        assertEquals("(uid=alice)", LdapFilter.fill("(uid=%u)", "alice", ""));
        // RFC 4515 3: the special characters, so a name cannot end the filter or match by wildcard
        assertEquals("(uid=\\2a\\29\\28uid\\3d\\2a)", LdapFilter.fill("(uid=%u)", "*)(uid=*", ""));
        assertEquals("(uid=a\\5c2a\\00)", LdapFilter.fill("(uid=%u)", "a\\2a\0", ""));
        // UTF-8 bytes, each escaped
        assertEquals("(uid=j\\c3\\b6rg)", LdapFilter.fill("(uid=%u)", "jörg", ""));
    }

    /** Whatever a client types, the value holds no filter syntax, and unescapes to exactly the name's UTF-8. */
    @Test
    void anyNameStaysOneAssertionValue() {
        Random random = new Random(20);
        String alphabet = "()*\\=&|!<>~:,\0 aZ9é€\n";
        for (int i = 0; i < 2000; i++) {
            StringBuilder name = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                name.append(random.nextInt(10) == 0 ? (char) random.nextInt(0xD000)
                        : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String value = LdapFilter.escape(name.toString());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int c = 0; c < value.length(); c++) {
                char ch = value.charAt(c);
                if (ch == '\\') {
                    assertTrue(value.substring(c + 1, c + 3).matches("[0-9a-f]{2}"), value);
                    bytes.write(Integer.parseInt(value.substring(c + 1, c + 3), 16));
                    c += 2;
                } else {
                    assertTrue(ch < 128 && (Character.isLetterOrDigit(ch) || "-._@".indexOf(ch) >= 0), value);
                    bytes.write(ch);
                }
            }
            assertArrayEquals(name.toString().getBytes(StandardCharsets.UTF_8), bytes.toByteArray(), value);
        }
    }

    @Test
    void placeholders() {
        assertEquals("(&(member=uid\\3da\\2cou\\3dp)(x=%)(y=%q))",
                LdapFilter.fill("(&(member=%d)(x=%%)(y=%q))", "a", "uid=a,ou=p"));
        assertEquals("(|(uid=bob)(mail=bob))", LdapFilter.fill("(|(uid=%u)(mail=%u))", "bob", ""));
    }
}
