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
                true, true, TlsPolicy.Checks.DEFAULT));
    }

    @Test
    void aSessionServesItsOwnConnectionAndOtherConnectionsOfTheSameUserOnly() throws Exception {
        shared.join();
        shared.join();
        shared.join();
        ClientTls.Registration alice1 = shared.register(1000, true);
        ClientTls.Registration alice2 = shared.register(2000, true);
        ClientTls.Registration bob = shared.register(3000, true);
        shared.loggedIn(alice1, "local:alice");
        shared.loggedIn(alice2, "local:alice");
        assertTrue(shared.mayServe(1000, alice1, 0).accepted());
        assertFalse(shared.mayServe(3000, alice1, 0).accepted(), "a session of a connection that never logged in");
        shared.loggedIn(bob, "local:bob");
        assertTrue(shared.mayServe(2000, alice1, 0).accepted(), "alice's other connection");
        assertFalse(shared.mayServe(3000, alice1, 0).accepted(), "bob's session");
        assertFalse(shared.mayServe(1000, bob, 0).accepted(), "alice's session");
        assertFalse(shared.mayServe(4000, alice1, 0).accepted(), "nobody's session");
        assertTrue(shared.mayServe(3000, bob, 0).accepted());
    }

    @Test
    void creationTimesThatCollideAcrossUsersServeNobodyElse() throws Exception {
        shared.join();
        shared.join();
        ClientTls.Registration alice = shared.register(1000, true);
        ClientTls.Registration bob = shared.register(1000, true);
        shared.loggedIn(alice, "local:alice");
        shared.loggedIn(bob, "local:bob");
        assertFalse(shared.mayServe(1000, alice, 0).accepted());
        assertFalse(shared.mayServe(1000, bob, 0).accepted());
    }

    @Test
    void aControlConnectionThatResumedASessionDoesNotOwnIt() throws Exception {
        shared.join();
        shared.join();
        shared.join();
        ClientTls.Registration alice = shared.register(1000, true);
        ClientTls.Registration resumedNotLoggedIn = shared.register(1000, false);
        ClientTls.Registration alice2 = shared.register(2000, true);
        shared.loggedIn(alice, "local:alice");
        shared.loggedIn(alice2, "local:alice");
        assertTrue(shared.mayServe(1000, alice2, 0).accepted(), "the negotiating connection's login counts");
        ClientTls.Registration bob = shared.register(3000, true);
        shared.loggedIn(bob, "local:bob");
        assertFalse(shared.mayServe(1000, bob, 0).accepted());
    }

    @Test
    void aConnectionThatChangedUserLendsItsSessionToNobody() throws Exception {
        shared.join();
        shared.join();
        ClientTls.Registration first = shared.register(1000, true);
        ClientTls.Registration second = shared.register(2000, true);
        shared.loggedIn(first, "local:bob");
        shared.loggedIn(first, "local:alice"); // REIN, then alice
        shared.loggedIn(second, "local:alice");
        assertFalse(shared.mayServe(1000, second, 0).accepted());
        assertTrue(shared.mayServe(1000, first, 0).accepted(), "its own connection still may");
    }

    @Test
    void aClosedConnectionsSessionStaysUsableByTheSameUser() throws Exception {
        shared.join();
        shared.join();
        ClientTls.Registration gone = shared.register(1000, true);
        ClientTls.Registration alice = shared.register(2000, true);
        shared.loggedIn(gone, "local:alice");
        shared.loggedIn(alice, "local:alice");
        assertFalse(shared.leave(gone));
        assertTrue(shared.mayServe(1000, alice, 0).accepted());
        assertTrue(shared.leave(alice), "the last connection drops the context");
        assertFalse(shared.join(), "a dropped context takes no one");
    }

    @Test
    void ticketRefreshOnlyForAClientSeenAloneAndNotSharing() throws Exception {
        shared.join();
        ClientTls.Registration alice = shared.register(1000, true);
        shared.loggedIn(alice, "local:alice");
        assertTrue(shared.offerTicket(alice, 0));
        shared.ticketSpent(alice);
        shared.join(); // another connection is handshaking: may be alice's
        assertFalse(shared.offerTicket(alice, 0));
        ClientTls.Registration bob = shared.register(2000, true);
        shared.loggedIn(bob, "local:bob");
        assertTrue(shared.offerTicket(alice, 0), "bob's connection does not share alice's cache");
        shared.ticketSpent(alice);
        shared.join();
        ClientTls.Registration resumed = shared.register(1000, false); // a control handshake resumed alice's session
        shared.loggedIn(resumed, "local:alice");
        assertFalse(shared.offerTicket(alice, 0));
        shared.leave(resumed);
        assertFalse(shared.offerTicket(alice, 0), "still the same cache");
        assertTrue(shared.offerTicket(bob, 0));
    }

    @Test
    void aDataSessionFromAnotherConnectionEndsTheRefreshForThatUser() throws Exception {
        shared.join();
        shared.join();
        ClientTls.Registration alice1 = shared.register(1000, true);
        ClientTls.Registration alice2 = shared.register(2000, true);
        shared.loggedIn(alice1, "local:alice");
        shared.loggedIn(alice2, "local:alice");
        shared.leave(alice2);
        assertTrue(shared.offerTicket(alice1, 0));
        shared.ticketSpent(alice1);
        assertTrue(shared.mayServe(2000, alice1, 0).accepted());
        assertFalse(shared.offerTicket(alice1, 0));
    }

    @Test
    void whileATicketIsOutNoOtherControlHandshakeStartsAndNoOtherConnectionGetsOne() throws Exception {
        shared.join();
        ClientTls.Registration alice = shared.register(1000, true);
        shared.loggedIn(alice, "local:alice");
        assertTrue(shared.offerTicket(alice, 0));
        long started = System.nanoTime();
        shared.awaitTicketSpent(300);
        assertTrue(System.nanoTime() - started >= 250_000_000L, "a control handshake waited for the ticket's data connection");
        Thread spender = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            shared.ticketSpent(alice);
        });
        started = System.nanoTime();
        shared.awaitTicketSpent(10_000);
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "the data handshake ended the wait");
        spender.join();
        ClientTls.Registration bob = shared.register(2000, true);
        shared.loggedIn(bob, "local:bob");
        assertTrue(shared.offerTicket(alice, 0));
        assertFalse(shared.offerTicket(bob, 0), "one ticket out at a time");
        shared.leave(alice);
        assertTrue(shared.offerTicket(bob, 0), "a connection that ends gives its ticket up");
    }

    @Test
    void aConnectionNotLoggedInYetIsWaitedForAndItsLoginDecides() throws Exception {
        shared.join();
        shared.join();
        ClientTls.Registration alice = shared.register(1000, true);
        shared.loggedIn(alice, "local:alice");
        ClientTls.Registration fresh = shared.register(2000, true);
        Thread login = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            shared.loggedIn(fresh, "local:alice");
        });
        assertEquals(ClientTls.Verdict.SAME_USER, shared.mayServe(2000, alice, 10_000));
        login.join();
        ClientTls.Registration other = shared.register(3000, true);
        Thread.ofVirtual().start(() -> shared.loggedIn(other, "local:bob"));
        assertEquals(ClientTls.Verdict.OTHER_LOGIN, shared.mayServe(3000, alice, 10_000));
        shared.register(4000, true);
        assertEquals(ClientTls.Verdict.OTHER_LOGIN, shared.mayServe(4000, alice, 100), "never logged in");
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
