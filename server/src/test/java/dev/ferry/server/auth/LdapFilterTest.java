package dev.ferry.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    @Test
    void placeholders() {
        assertEquals("(&(member=uid\\3da\\2cou\\3dp)(x=%)(y=%q))",
                LdapFilter.fill("(&(member=%d)(x=%%)(y=%q))", "a", "uid=a,ou=p"));
        assertEquals("(|(uid=bob)(mail=bob))", LdapFilter.fill("(|(uid=%u)(mail=%u))", "bob", ""));
    }
}
