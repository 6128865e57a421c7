package dev.ferry.server.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files that certificate tools write (Let's Encrypt, openssl, vsftpd setups):
 * certificate chains and private keys in PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) form. The JDK reads only PKCS#8, so
 * the other two are wrapped into PKCS#8 (RFC 5208 section 5) with a few lines of DER.
 */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** AlgorithmIdentifier for rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = HexFormat.of().parseHex("300d06092a864886f70d0101010500");
    /** OID id-ecPublicKey (1.2.840.10045.2.1), DER-encoded. */
    private static final byte[] EC_PUBLIC_KEY_OID = HexFormat.of().parseHex("06072a8648ce3d0201");
    /** PrivateKeyInfo version 0. */
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    /** One PEM block: its label and its decoded bytes. */
    record Block(String label, byte[] der) {
    }

    private Pem() {
    }

    static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
        }
        return blocks;
    }

    static List<X509Certificate> certificates(List<Block> blocks) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain = new ArrayList<>();
        for (Block block : blocks) {
            if (block.label().equals("CERTIFICATE")) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            }
        }
        return chain;
    }

    /** The first private key among {@code blocks}, or null when there is none. */
    static PrivateKey privateKey(List<Block> blocks) throws GeneralSecurityException {
        for (Block block : blocks) {
            switch (block.label()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(block.der());
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(sequence(VERSION_0, RSA_ALGORITHM, octetString(block.der())));
                }
                case "EC PRIVATE KEY" -> {
                    byte[] algorithm = sequence(EC_PUBLIC_KEY_OID, curveOf(block.der()));
                    return pkcs8(sequence(VERSION_0, algorithm, octetString(block.der())));
                }
                case "ENCRYPTED PRIVATE KEY" ->
                    throw new GeneralSecurityException("the private key is encrypted; give Ferry an unencrypted key"
                            + " file readable only by its user, or a PKCS12 keystore with ssl_keystore_password");
                default -> {
                    // certificates and parameters are read elsewhere
                }
            }
        }
        return null;
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("unreadable private key", last);
    }

    /**
     * The named-curve OID inside a SEC1 ECPrivateKey (RFC 5915 section 3): {@code SEQUENCE {
     * version, privateKey OCTET STRING, [0] parameters, [1] publicKey }}.
     */
    private static byte[] curveOf(byte[] sec1) throws GeneralSecurityException {
        Der outer = new Der(sec1, 0);
        if (outer.tag != 0x30) {
            throw new GeneralSecurityException("not an EC private key");
        }
        int at = outer.contentStart;
        while (at < outer.end) {
            Der element = new Der(sec1, at);
            if (element.tag == 0xa0) {
                return java.util.Arrays.copyOfRange(sec1, element.contentStart, element.end); // the OID's TLV
            }
            at = element.end;
        }
        throw new GeneralSecurityException("the EC private key does not name its curve");
    }

    /** One DER element: tag, where its content starts, where it ends. */
    private static final class Der {
        final int tag;
        final int contentStart;
        final int end;

        Der(byte[] der, int offset) throws GeneralSecurityException {
            if (offset + 2 > der.length) {
                throw new GeneralSecurityException("truncated key");
            }
            tag = der[offset] & 0xff;
            int length = der[offset + 1] & 0xff;
            int at = offset + 2;
            if (length > 0x7f) {
                int count = length & 0x7f;
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (der[at++] & 0xff);
                }
            }
            contentStart = at;
            end = at + length;
            if (end > der.length) {
                throw new GeneralSecurityException("truncated key");
            }
        }
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return element(0x30, content.toByteArray());
    }

    private static byte[] octetString(byte[] content) {
        return element(0x04, content);
    }

    private static byte[] element(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
