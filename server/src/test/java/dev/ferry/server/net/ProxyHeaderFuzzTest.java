package dev.ferry.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.server.fuzz.NoLookups;
import java.io.ByteArrayInputStream;

/**
 * Whatever a peer sends where a PROXY protocol header belongs: {@link ProxyHeader#read} returns a
 * header or throws {@link ProxyHeader.Malformed} (nothing else), never asks DNS, takes exactly the
 * header's bytes (a v1 line up to its LF, a v2 header's 16 bytes and its length) and leaves the
 * rest for the FTP reader, and its message is one printable line for the log.
 */
class ProxyHeaderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void header(byte[] input) throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(input);
        ProxyHeader header;
        try {
            header = NoLookups.during(() -> ProxyHeader.read(in));
        } catch (ProxyHeader.Malformed e) {
            assertTrue(e.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7f), "unprintable message: " + e.getMessage());
            return;
        }
        int consumed = input.length - in.available();
        if (input[0] == 'P') {
            int lf = indexOf(input, (byte) '\n');
            assertEquals(lf + 1, consumed, "a v1 header took bytes after its line");
            assertTrue(consumed <= 107, "a v1 line over 107 bytes");
        } else {
            int length = ((input[14] & 0xff) << 8) | (input[15] & 0xff);
            assertEquals(16 + length, consumed, "a v2 header took other than its length");
        }
        if (header instanceof ProxyHeader.Proxied proxied) {
            assertTrue(proxied.source().getPort() >= 0 && proxied.source().getPort() <= 65535);
            assertTrue(!proxied.source().isUnresolved() && !proxied.destination().isUnresolved());
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
