package dev.ferry.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.server.fuzz.NoLookups;
import dev.ferry.server.protocol.Reply;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PORT, EPRT and EPSV arguments as a client may send them: an address or a 501/522 refusal,
 * never an exception and never a DNS lookup; an address comes from the numbers in the text (no
 * host name attached, a port in range, the family EPRT named); the refusal is one reply line.
 */
class DataArgumentsFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void arguments(FuzzedDataProvider data) throws Exception {
        check(data.consumeInt(0, 2), data.consumeRemainingAsString());
    }

    /** Text that passed the character checks but is no literal went to the system resolver. */
    @Test
    void literalLookalikesAreRefusedWithoutALookup() throws Exception {
        for (String argument : List.of("|2|.:|2000|", "|2|..:|2000|", "|1|999.1.1.1|2000|", "|1|1.2.3.400|2000|")) {
            check(1, argument);
            assertEquals(new DataArguments.Parsed.Refused(501, "Illegal EPRT command."), DataArguments.eprt(argument), argument);
        }
        check(1, "|1|01.2.3.4|2000|");
        check(1, "|2|::1|2000|");
    }

    /** The guard itself: without it the test above could not fail. */
    @Test
    void theGuardCatchesALookup() {
        String name = "lookup-" + System.nanoTime() + ".invalid";
        assertThrows(NoLookups.LookupWhileParsing.class, () -> NoLookups.during(() -> InetAddress.getByName(name)));
    }

    /** {@code verb}: 0 PORT, 1 EPRT, 2 EPSV. */
    private static void check(int verb, String argument) throws Exception {
        if (verb == 2) {
            DataArguments.Epsv epsv = DataArguments.epsv(argument);
            if (epsv instanceof DataArguments.Epsv.Listen(String protocol)) {
                assertEquals(argument.trim(), protocol);
            }
            return;
        }
        DataArguments.Parsed parsed = NoLookups.during(() -> verb == 0 ? DataArguments.port(argument) : DataArguments.eprt(argument));
        switch (parsed) {
            case DataArguments.Parsed.Refused(int code, String text) -> {
                assertTrue(code == 501 || code == 522, "code " + code);
                String wire = Reply.of(code, text).wire();
                assertTrue(wire.indexOf('\n') == wire.length() - 1, wire);
            }
            case DataArguments.Parsed.Target(var address) -> {
                assertTrue(address.getAddress().toString().startsWith("/"), "a host name came with " + address);
                int port = address.getPort();
                if (verb == 0) {
                    assertTrue(address.getAddress() instanceof Inet4Address && port >= 0 && port <= 65535, address.toString());
                } else {
                    boolean v4 = argument.trim().substring(1).startsWith("1");
                    assertTrue(v4 ? address.getAddress() instanceof Inet4Address : address.getAddress() instanceof Inet6Address,
                            "EPRT named one family, got " + address);
                    assertTrue(port >= 1 && port <= 65535, address.toString());
                }
            }
        }
    }
}
