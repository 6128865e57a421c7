package dev.ferry.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which control session a resumed data session may serve (the creation time is all JSSE tells),
 * when the TLS 1.3 ticket refresh is safe, and the two session-timeout settings taking turns.
 */
@Timeout(60)
class ClientTlsTest {

    @TempDir
    Path dir;
    ClientTls shared;

    @BeforeEach
    void context() throws Exception {
        Path keystore = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "ferry", "-keyalg", "EC",
                "-dname", "CN=test", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true)
                .redirectOutput(new File("/dev/null")).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0);
        TlsIdentity identity = TlsIdentity.load(new TlsIdentity.Source.Keystore(keystore, "changeit"), Optional.empty());
        shared = new ClientTls(identity, new TlsPolicy(List.of("TLSv1.3", "TLSv1.2"), List.of(), false, false, false,
                true, true));
    }

    @Test
    void aSessionServesItsOwnConnectionAndOtherConnectionsOfTheSameUserOnly() {
        shared.join();
        shared.join();
        shared.join();
        ClientTls.Registration alice1 = shared.register(1000, true);
        ClientTls.Registration alice2 = shared.register(2000, true);
        ClientTls.Registration bob = shared.register(3000, true);
        shared.loggedIn(alice1, "local:alice");
        shared.loggedIn(alice2, "local:alice");
        assertTrue(shared.mayServe(1000, alice1));
        assertFalse(shared.mayServe(3000, alice1), "a session of a connection that never logged in");
        shared.loggedIn(bob, "local:bob");
        assertTrue(shared.mayServe(2000, alice1), "alice's other connection");
        assertFalse(shared.mayServe(3000, alice1), "bob's session");
        assertFalse(shared.mayServe(1000, bob), "alice's session");
        assertFalse(shared.mayServe(4000, alice1), "nobody's session");
        assertTrue(shared.mayServe(3000, bob));
    }

    @Test
    void creationTimesThatCollideAcrossUsersServeNobodyElse() {
        shared.join();
        shared.join();
        ClientTls.Registration alice = shared.register(1000, true);
        ClientTls.Registration bob = shared.register(1000, true);
        shared.loggedIn(alice, "local:alice");
        shared.loggedIn(bob, "local:bob");
        assertFalse(shared.mayServe(1000, alice));
        assertFalse(shared.mayServe(1000, bob));
    }

    @Test
    void aControlConnectionThatResumedASessionDoesNotOwnIt() {
        shared.join();
        shared.join();
        shared.join();
        ClientTls.Registration alice = shared.register(1000, true);
        ClientTls.Registration resumedNotLoggedIn = shared.register(1000, false);
        ClientTls.Registration alice2 = shared.register(2000, true);
        shared.loggedIn(alice, "local:alice");
        shared.loggedIn(alice2, "local:alice");
        assertTrue(shared.mayServe(1000, alice2), "the negotiating connection's login counts");
        ClientTls.Registration bob = shared.register(3000, true);
        shared.loggedIn(bob, "local:bob");
        assertFalse(shared.mayServe(1000, bob));
    }

    @Test
    void aConnectionThatChangedUserLendsItsSessionToNobody() {
        shared.join();
        shared.join();
        ClientTls.Registration first = shared.register(1000, true);
        ClientTls.Registration second = shared.register(2000, true);
        shared.loggedIn(first, "local:bob");
        shared.loggedIn(first, "local:alice"); // REIN, then alice
        shared.loggedIn(second, "local:alice");
        assertFalse(shared.mayServe(1000, second));
        assertTrue(shared.mayServe(1000, first), "its own connection still may");
    }

    @Test
    void aClosedConnectionsSessionStaysUsableByTheSameUser() {
        shared.join();
        shared.join();
        ClientTls.Registration gone = shared.register(1000, true);
        ClientTls.Registration alice = shared.register(2000, true);
        shared.loggedIn(gone, "local:alice");
        shared.loggedIn(alice, "local:alice");
        assertFalse(shared.leave(gone));
        assertTrue(shared.mayServe(1000, alice));
        assertTrue(shared.leave(alice), "the last connection drops the context");
        assertFalse(shared.join(), "a dropped context takes no one");
    }

    @Test
    void ticketRefreshOnlyForAClientSeenAloneAndNotSharing() {
        shared.join();
        ClientTls.Registration alice = shared.register(1000, true);
        shared.loggedIn(alice, "local:alice");
        assertTrue(shared.refreshWanted(alice));
        shared.join(); // another connection is handshaking: may be alice's
        assertFalse(shared.refreshWanted(alice));
        ClientTls.Registration bob = shared.register(2000, true);
        shared.loggedIn(bob, "local:bob");
        assertTrue(shared.refreshWanted(alice), "bob's connection does not share alice's cache");
        shared.join();
        ClientTls.Registration resumed = shared.register(1000, false); // a control handshake resumed alice's session
        shared.loggedIn(resumed, "local:alice");
        assertFalse(shared.refreshWanted(alice));
        shared.leave(resumed);
        assertFalse(shared.refreshWanted(alice), "still the same cache");
        assertTrue(shared.refreshWanted(bob));
    }

    @Test
    void aDataSessionFromAnotherConnectionEndsTheRefreshForThatUser() {
        shared.join();
        shared.join();
        ClientTls.Registration alice1 = shared.register(1000, true);
        ClientTls.Registration alice2 = shared.register(2000, true);
        shared.loggedIn(alice1, "local:alice");
        shared.loggedIn(alice2, "local:alice");
        shared.leave(alice2);
        assertTrue(shared.refreshWanted(alice1));
        assertTrue(shared.mayServe(2000, alice1));
        assertFalse(shared.refreshWanted(alice1));
    }

    @Test
    void quietAndTicketSettingsTakeTurns() throws Exception {
        shared.enter(ClientTls.Mode.QUIET, 1000);
        shared.enter(ClientTls.Mode.QUIET, 1000); // the same setting: both at once
        assertEquals(ClientTls.QUIET_TIMEOUT, shared.context().getServerSessionContext().getSessionTimeout());
        assertThrows(SocketTimeoutException.class, () -> shared.enter(ClientTls.Mode.TICKETS, 200));
        shared.exit();
        shared.exit();
        shared.enter(ClientTls.Mode.TICKETS, 200);
        assertEquals(ClientTls.SESSION_TIMEOUT, shared.context().getServerSessionContext().getSessionTimeout());
        shared.exit();
    }
}
