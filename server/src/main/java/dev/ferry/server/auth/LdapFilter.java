package dev.ferry.server.auth;

import java.nio.charset.StandardCharsets;

/**
 * Fills the configured search filters: {@code %u} becomes the login name, {@code %d} the user's DN,
 * each escaped as an RFC 4515 section 3 assertion value, so a name such as {@code *)(uid=*} matches
 * only an entry with exactly that name and can never widen or end the filter. {@code %%} is a
 * literal {@code %}.
 */
final class LdapFilter {

    private LdapFilter() {
    }

    /** {@code template} with {@code %u} replaced by {@code name} and {@code %d} by {@code dn}, both escaped. */
    static String fill(String template, String name, String dn) {
        StringBuilder filter = new StringBuilder(template.length() + name.length() * 3);
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '%' && i + 1 < template.length()) {
                char next = template.charAt(i + 1);
                switch (next) {
                    case 'u' -> { escape(name, filter); i++; continue; }
                    case 'd' -> { escape(dn, filter); i++; continue; }
                    case '%' -> { filter.append('%'); i++; continue; }
                    default -> { }
                }
            }
            filter.append(c);
        }
        return filter.toString();
    }

    /**
     * RFC 4515 section 3: NUL, '(', ')', '*' and '\' must be escaped as \XX. Every byte outside
     * printable ASCII letters and digits is escaped too (of the UTF-8 encoding), which the RFC
     * allows and which leaves nothing for a directory's own parser to read differently.
     */
    static void escape(String value, StringBuilder to) {
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int octet = b & 0xff;
            if ((octet >= 'a' && octet <= 'z') || (octet >= 'A' && octet <= 'Z') || (octet >= '0' && octet <= '9')
                    || octet == '-' || octet == '.' || octet == '_' || octet == '@') {
                to.append((char) octet);
            } else {
                to.append('\\').append(Character.forDigit(octet >> 4, 16)).append(Character.forDigit(octet & 0xf, 16));
            }
        }
    }

    static String escape(String value) {
        StringBuilder to = new StringBuilder();
        escape(value, to);
        return to.toString();
    }
}
