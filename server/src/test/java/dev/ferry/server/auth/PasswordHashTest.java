package dev.ferry.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Vectors made with real tools on a Debian 12 machine, so the hashes are what operators paste:
 * {@code openssl passwd -6|-5|-1 -salt ... secret} (OpenSSL 3) and {@code htpasswd -nbB}
 * (apache2-utils 2.4).
 */
class PasswordHashTest {

    // openssl passwd -6 -salt saltsalt secret
    static final String SHA512 =
            "$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1";
    // openssl passwd -6 -salt 'rounds=10000$saltsalt' secret (python3 crypt.crypt gives the same)
    static final String SHA512_ROUNDS = "$6$rounds=10000$saltsalt$WowrPBpEDVlCoruBosYlrZycTCx3//TyDHYqEhX9DUHHt0XTztUqzQDDUuvUGRA8aUe9p55hcAxeGcu58sm3u.";
    // openssl passwd -5 -salt saltsalt secret
    static final String SHA256 = "$5$saltsalt$0IyaXrmV7.sGNS6tirgqHLqX/G.FBvgkYA.lpPdS5sA";
    // openssl passwd -5 -salt 'rounds=5000$saltsalt' secret: explicit default rounds stay in the text
    static final String SHA256_ROUNDS = "$5$rounds=5000$saltsalt$0IyaXrmV7.sGNS6tirgqHLqX/G.FBvgkYA.lpPdS5sA";
    // openssl passwd -5 -salt 'rounds=1000$short' secret
    static final String SHA256_SHORT_SALT = "$5$rounds=1000$short$5tqpBKuMXiyOh7zjcqfE5xf4ihzI5OkLurBxtQ/FlU0";
    // openssl passwd -1 -salt saltsalt secret
    static final String MD5 = "$1$saltsalt$9xy1btjgzLYfb7hivXtC//";
    // htpasswd -nbB user secret
    static final String BCRYPT_2Y = "$2y$05$iNX1IwTLPFovUfMCub0c1efz/r1qwFzUjvSsHrOKLtB5Gx982CqjO";
    // Published crypt_blowfish (Openwall) test vector: "U*U"
    static final String BCRYPT_2A_PUBLISHED = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

    static final String UTF8_PASSWORD = "pässwörd with space";
    // openssl passwd -6 -salt abcdefgh 'pässwörd with space' (UTF-8 terminal)
    static final String SHA512_UTF8 =
            "$6$abcdefgh$IJEu.ICf5iheBtanPox2LWy/3x.dtZjqHn3Ikb.uJdehpiU3UnsR/bJr8uPhwmlp7OW2.B8QEVnVG7T19xhx00";
    // htpasswd -nbB -C 5 alice 'pässwörd with space'
    static final String BCRYPT_UTF8 = "$2y$05$HpdixVI8/Y154YP59mFyWOBEnmLQehxMUweNYFbyFNDK8w1AFXUWe";

    @ParameterizedTest
    @ValueSource(strings = {SHA512, SHA512_ROUNDS, SHA256, SHA256_ROUNDS, SHA256_SHORT_SALT, MD5, BCRYPT_2Y})
    void realHashesVerifyTheirPassword(String hash) {
        assertTrue(PasswordHash.verify(hash, "secret"));
        assertTrue(PasswordHash.verify(hash, "secret".toCharArray()));
    }

    @ParameterizedTest
    @ValueSource(strings = {SHA512, SHA512_ROUNDS, SHA256, SHA256_ROUNDS, MD5, BCRYPT_2Y})
    void wrongPasswordsFail(String hash) {
        assertFalse(PasswordHash.verify(hash, "Secret"));
        assertFalse(PasswordHash.verify(hash, "secret "));
        assertFalse(PasswordHash.verify(hash, ""));
        assertFalse(PasswordHash.verify(hash, (String) null));
    }

    @Test
    void bcryptVersionsAllVerify() {
        assertTrue(PasswordHash.verify(BCRYPT_2A_PUBLISHED, "U*U"));
        assertFalse(PasswordHash.verify(BCRYPT_2A_PUBLISHED, "U*U*"));
        // $2a$, $2b$ and $2y$ compute the same for ASCII passwords shorter than 72 bytes; they only
        // differ in old bugs with 8-bit characters and length wrap-around.
        assertTrue(PasswordHash.verify(BCRYPT_2Y.replace("$2y$", "$2b$"), "secret"));
        assertTrue(PasswordHash.verify(BCRYPT_2Y.replace("$2y$", "$2a$"), "secret"));
        assertFalse(PasswordHash.verify(BCRYPT_2Y.replace("$2y$", "$2x$"), "secret"));
    }

    @Test
    void utf8PasswordsAreHashedAsUtf8Bytes() {
        assertTrue(PasswordHash.verify(SHA512_UTF8, UTF8_PASSWORD));
        assertTrue(PasswordHash.verify(BCRYPT_UTF8, UTF8_PASSWORD));
        assertFalse(PasswordHash.verify(SHA512_UTF8, "passwort with space"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "!", "*", "!!", "secret", "!" + SHA512, "*" + BCRYPT_2Y,
        "saXYqkUlXdSZ2", "$6$saltsalt$", "$6$saltsalt$TVLlQcbp", "$2y$05$short", "$2y$99$iNX1IwTLPFovUfMCub0c1efz/r1qwFzUjvSsHrOKLtB5Gx982CqjO",
        "$7$unknown$scheme", "$apr1$saltsalt$abc"})
    void unusableHashesNeverVerify(String hash) {
        assertFalse(PasswordHash.verify(hash, "secret"));
        assertFalse(PasswordHash.verify(hash, hash));
        assertFalse(PasswordHash.verify(hash, ""));
    }

    @Test
    void nullHashNeverVerifies() {
        assertFalse(PasswordHash.verify(null, "secret"));
    }

    @Test
    void bcryptRefusesOverlongPasswordsWithoutThrowing() {
        assertFalse(PasswordHash.verify(BCRYPT_2Y, "x".repeat(100)));
    }

    @Test
    void sha512CryptMakesVerifiableShadowLines() {
        String hash = PasswordHash.sha512Crypt(UTF8_PASSWORD);
        assertTrue(hash.matches("\\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}"), hash);
        assertTrue(PasswordHash.verify(hash, UTF8_PASSWORD));
        assertFalse(PasswordHash.verify(hash, "secret"));
        assertNotEquals(hash, PasswordHash.sha512Crypt(UTF8_PASSWORD), "salt must be random");
    }

    @Test
    void dummyHashesKeepSchemeAndCost() {
        assertTrue(PasswordHash.dummyLike(BCRYPT_2Y).startsWith("$2"));
        assertEquals("$05$", PasswordHash.dummyLike(BCRYPT_2Y).substring(3, 7));
        assertTrue(PasswordHash.dummyLike(SHA512_ROUNDS).startsWith("$6$rounds=10000$"));
        assertTrue(PasswordHash.dummyLike(SHA256).startsWith("$5$"));
        assertTrue(PasswordHash.dummyLike(MD5).startsWith("$1$"));
        assertTrue(PasswordHash.isSupported(PasswordHash.dummyLike("")));
        assertFalse(PasswordHash.verify(PasswordHash.dummyLike(SHA512), "secret"));
    }
}
