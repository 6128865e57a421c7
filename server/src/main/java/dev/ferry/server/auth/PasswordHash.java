package dev.ferry.server.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Md5Crypt;
import org.apache.commons.codec.digest.Sha2Crypt;

/**
 * Password hashes in the formats an operator already has: crypt(3) lines copied from
 * {@code /etc/shadow} or made with {@code openssl passwd -6} / {@code mkpasswd}, and bcrypt lines
 * made with {@code htpasswd -B}.
 *
 * <p>Only the formats below verify. Anything else never does: {@code !} and {@code *} (locked
 * accounts in shadow(5)), {@code !$6$...} (locked with {@code usermod -L}), an empty field (which
 * in shadow(5) means "no password": an FTP server must not read it as "any password"), plain text,
 * and DES/other crypt(3) variants. Plain text matters most: Commons Codec's {@code Crypt.crypt}
 * would treat it as a traditional DES salt, so this class dispatches on the prefix itself and never
 * calls {@code Crypt.crypt}.
 */
public final class PasswordHash {

    /** The hash formats that can verify. */
    enum Scheme {
        /** crypt(3) SHA-512, "$6$[rounds=N$]salt$hash" (Drepper's SHA-crypt spec). */
        SHA512(Pattern.compile("\\$6\\$(rounds=[0-9]{1,9}\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{86}")),
        /** crypt(3) SHA-256, "$5$[rounds=N$]salt$hash". */
        SHA256(Pattern.compile("\\$5\\$(rounds=[0-9]{1,9}\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]{43}")),
        /** crypt(3) MD5, "$1$salt$hash": weak, accepted only so old shadow lines keep working. */
        MD5(Pattern.compile("\\$1\\$[./0-9A-Za-z]{1,8}\\$[./0-9A-Za-z]{22}")),
        /**
         * bcrypt: $2y$ from htpasswd -B and PHP, $2a$ and $2b$ from OpenBSD and most libraries. The
         * cost is 04 to 31 (2^cost rounds): any other made the users file fail to load with a
         * bare IllegalArgumentException from the dummy hash instead of FILE:LINE (UsersFileFuzzTest).
         */
        BCRYPT(Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./0-9A-Za-z]{53}"));

        private final Pattern pattern;

        Scheme(Pattern pattern) {
            this.pattern = pattern;
        }

        static Optional<Scheme> of(String hash) {
            if (hash == null) {
                return Optional.empty();
            }
            for (Scheme scheme : values()) {
                if (scheme.pattern.matcher(hash).matches()) {
                    return Optional.of(scheme);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * bcrypt reads at most 72 bytes of key. favre's verifyer, like its hasher, rejects keys longer
     * than 71 bytes (it counts the NUL terminator) with an exception; such a password simply does
     * not verify here.
     */
    private static final int BCRYPT_MAX_PASSWORD_BYTES = 71;

    private static final String CRYPT_ALPHABET =
            "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    /** True when {@code password} matches {@code hash}; false for every unusable hash. */
    public static boolean verify(String hash, String password) {
        if (password == null) {
            return false;
        }
        char[] chars = password.toCharArray();
        try {
            return verify(hash, chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * True when {@code password} matches {@code hash}; false for every unusable hash. The caller
     * keeps ownership of {@code password} and may wipe it afterwards; the UTF-8 copy made here is
     * wiped before returning.
     */
    public static boolean verify(String hash, char[] password) {
        if (password == null) {
            return false;
        }
        Optional<Scheme> scheme = Scheme.of(hash);
        if (scheme.isEmpty()) {
            return false;
        }
        byte[] key = utf8(password);
        try {
            return switch (scheme.get()) {
                // Sha2Crypt/Md5Crypt take the whole stored hash as the salt argument and read the
                // prefix, rounds and salt from it, so the recomputed string is comparable as a whole.
                // Sha2Crypt wipes the key array it is given: hand it a copy.
                case SHA512 -> sameText(Sha2Crypt.sha512Crypt(key.clone(), hash), hash);
                case SHA256 -> sameText(Sha2Crypt.sha256Crypt(key.clone(), hash), hash);
                case MD5 -> sameText(Md5Crypt.md5Crypt(key.clone(), hash), hash);
                // favre's verifyer reads the version ($2a$, $2b$, $2y$) from the hash and compares
                // in constant time itself.
                case BCRYPT -> key.length <= BCRYPT_MAX_PASSWORD_BYTES
                        && BCrypt.verifyer().verify(key, hash.getBytes(StandardCharsets.US_ASCII)).verified;
            };
        } catch (IllegalArgumentException e) {
            // The patterns above admit only well-formed hashes, so this is a library-level refusal
            // (e.g. a bcrypt cost outside 4..31); treat it like any other unusable hash.
            return false;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * A new crypt(3) SHA-512 hash of {@code password} with a random 16-character salt and the
     * default 5000 rounds, the same form as {@code openssl passwd -6} and {@code mkpasswd -m
     * sha-512}, so the line also works in /etc/shadow.
     */
    public static String sha512Crypt(String password) {
        byte[] key = password.getBytes(StandardCharsets.UTF_8);
        try {
            return Sha2Crypt.sha512Crypt(key, "$6$" + randomSalt(16));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** True for a hash that can verify; used to reject malformed lines when the file is loaded. */
    static boolean isSupported(String hash) {
        return Scheme.of(hash).isPresent();
    }

    /**
     * True for the shadow(5) ways to lock an account: {@code *}, {@code !}, and {@code !} before a
     * real hash (usermod -L). Such a user exists but never logs in.
     */
    static boolean isLocked(String hash) {
        return hash.startsWith("!") || hash.startsWith("*");
    }

    /**
     * What verifying a hash costs, salt aside: its scheme and cost parameter. SHA-crypt's rounds
     * (5000 when the hash names none, clamped to 1000..999999999 as the spec and Sha2Crypt do),
     * bcrypt's log2 cost ($2a$, $2b$ and $2y$ alike), MD5-crypt's fixed 1000 rounds.
     */
    record Work(Scheme scheme, int cost) {
    }

    /** The work of verifying {@code hash}; empty for a hash that never verifies. */
    static Optional<Work> work(String hash) {
        return Scheme.of(hash).map(scheme -> switch (scheme) {
            case SHA512, SHA256 -> {
                String rounds = roundsPart(hash);
                int n = rounds.isEmpty() ? 5000
                        : Integer.parseInt(rounds.substring("rounds=".length(), rounds.length() - 1));
                yield new Work(scheme, Math.clamp(n, 1000, 999_999_999));
            }
            case MD5 -> new Work(scheme, 1000);
            case BCRYPT -> new Work(scheme, Integer.parseInt(hash.substring(4, 6)));
        });
    }

    /**
     * A hash of a random password with the same scheme and cost as {@code model}, for verifying
     * against when the user is unknown or locked: that takes about as long as a real check, so the
     * response time does not tell a client which names exist.
     */
    static String dummyLike(String model) {
        byte[] key = randomSalt(16).getBytes(StandardCharsets.US_ASCII);
        Optional<Scheme> scheme = Scheme.of(model);
        return switch (scheme.orElse(Scheme.SHA512)) {
            case SHA512 -> Sha2Crypt.sha512Crypt(key, "$6$" + roundsPart(model) + randomSalt(16));
            case SHA256 -> Sha2Crypt.sha256Crypt(key, "$5$" + roundsPart(model) + randomSalt(16));
            case MD5 -> Md5Crypt.md5Crypt(key, "$1$" + randomSalt(8));
            case BCRYPT -> {
                Matcher m = Scheme.BCRYPT.pattern.matcher(model);
                int cost = m.matches() ? Integer.parseInt(m.group(1)) : 10;
                yield BCrypt.withDefaults().hashToString(cost, randomSalt(16).toCharArray());
            }
        };
    }

    /** The "rounds=N$" part of a SHA-crypt hash, or empty for the default 5000 rounds. */
    private static String roundsPart(String hash) {
        for (Scheme scheme : new Scheme[] {Scheme.SHA512, Scheme.SHA256}) {
            Matcher m = scheme.pattern.matcher(hash);
            if (m.matches() && m.group(1) != null) {
                return m.group(1);
            }
        }
        return "";
    }

    private static boolean sameText(String computed, String stored) {
        // MessageDigest.isEqual takes time independent of where the first difference is.
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                stored.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        // The encoder's buffer is a second copy of the password: wipe it too.
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return bytes;
    }

    private static String randomSalt(int length) {
        StringBuilder salt = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            salt.append(CRYPT_ALPHABET.charAt(RANDOM.nextInt(CRYPT_ALPHABET.length())));
        }
        return salt.toString();
    }
}
