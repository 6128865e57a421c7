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
        shared = clientTls(dir, List.of("TLSv1.3", "TLSv1.2"));
    }

    /** A context with a fresh self-signed key, as the server makes one per client address. */
    static ClientTls clientTls(Path dir, List<String> protocols) throws Exception {
        Path keystore = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "ferry", "-keyalg", "EC",
                "-dname", "CN=test", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true)
                .redirectOutput(new File("/dev/null")).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0);
        TlsIdentity identity = TlsIdentity.load(new TlsIdentity.Source.Keystore(keystore, "changeit"), Optional.empty());
        return new ClientTls(identity, new TlsPolicy(protocols, List.of(), false, false, false,
                true, true, TlsPolicy.Checks.DEFAULT));
    }

    @Test
    void aSessionServesItsOwnConnectionAndOtherConnectionsOfTheSameUserOnly() throws Exception {
        shared.join();
        shared.join();
        shared.join();
        ClientTls.Registration alice1 = register(1000, true);
        ClientTls.Registration alice2 = register(2000, true);
        ClientTls.Registration bob = register(3000, true);
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
        ClientTls.Registration alice = register(1000, true);
        ClientTls.Registration bob = register(1000, true);
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
        ClientTls.Registration alice = register(1000, true);
        ClientTls.Registration resumedNotLoggedIn = register(1000, false);
        ClientTls.Registration alice2 = register(2000, true);
        shared.loggedIn(alice, "local:alice");
        shared.loggedIn(alice2, "local:alice");
        assertTrue(shared.mayServe(1000, alice2, 0).accepted(), "the negotiating connection's login counts");
        ClientTls.Registration bob = register(3000, true);
        shared.loggedIn(bob, "local:bob");
        assertFalse(shared.mayServe(1000, bob, 0).accepted());
    }

    @Test
    void aConnectionThatChangedUserLendsItsSessionToNobody() throws Exception {
        shared.join();
        shared.join();
        ClientTls.Registration first = register(1000, true);
        ClientTls.Registration second = register(2000, true);
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
        ClientTls.Registration gone = register(1000, true);
        ClientTls.Registration alice = register(2000, true);
        shared.loggedIn(gone, "local:alice");
        shared.loggedIn(alice, "local:alice");
        assertFalse(shared.leave(gone));
        assertTrue(shared.mayServe(1000, alice, 0).accepted());
        assertTrue(shared.leave(alice), "the last connection drops the context");
        assertFalse(shared.join(), "a dropped context takes no one");
    }

    private ClientTls.Registration register(long creationTime, boolean negotiated) {
        return register(creationTime, negotiated, false);
    }

    /** A control connection whose ClientHello did (or did not) offer a TLS 1.3 ticket, then its handshake. */
    private ClientTls.Registration register(long creationTime, boolean negotiated, boolean offeredTicket) {
        ClientTls.Registration registration = shared.hello(offeredTicket);
        shared.handshaken(registration, creationTime, negotiated);
        return registration;
    }

    private boolean ticket(ClientTls.Registration own) throws Exception {
        boolean given = shared.offerTicket(own, 0);
        shared.ticketSpent(own);
        return given;
    }

    @Test
    void ticketsGoWhereNoOtherConnectionCouldUseThemUp() throws Exception {
        shared.join();
        ClientTls.Registration alice = register(1000, true);
        shared.loggedIn(alice, "local:alice");
        assertTrue(ticket(alice), "alone");
        shared.join(); // a connection whose ClientHello has not come: if it offers a ticket, it will wait
        assertTrue(ticket(alice));
        ClientTls.Registration lftp = register(2000, true); // came after alice's login and offered no ticket
        shared.loggedIn(lftp, "local:alice");
        assertTrue(ticket(alice), "a client that offered no ticket although one was to be had keeps its own");
        assertTrue(ticket(lftp), "and so does alice's first connection: a shared cache would have offered its ticket");
        shared.join();
        ClientTls.Registration go = register(3000, true, true); // its ClientHello offered a ticket (rclone)
        assertFalse(ticket(alice), "a client that shares its tickets between connections is here");
        shared.loggedIn(go, "local:alice");
        assertFalse(ticket(alice));
        shared.leave(go);
        assertTrue(ticket(alice), "gone again");
        shared.join();
        ClientTls.Registration bob = register(4000, true, true);
        shared.loggedIn(bob, "local:bob");
        assertTrue(ticket(alice), "another user's client cannot be alice's");
    }

    @Test
    void aConnectionThatOfferedATicketGetsNoneBesideItsClientsFirstConnection() throws Exception {
        // rclone: its first connection offered nothing (an empty cache) and logged in; the second
        // offered the first's ticket. A fresh ticket for the second lands in the one cache, and the
        // first's next data connection takes it before the second's does (seen in FtpsRcloneIT: 522)
        shared.join();
        ClientTls.Registration first = register(1000, true);
        shared.loggedIn(first, "local:alice");
        shared.join();
        ClientTls.Registration second = register(2000, true, true);
        shared.loggedIn(second, "local:alice");
        assertFalse(ticket(second), "its cache is shared with the first connection");
        assertFalse(ticket(first), "nor for the first, as before");
        shared.leave(first);
        assertTrue(ticket(second), "alone again");
    }

    @Test
    void connectionsDialledBeforeEitherLoggedInGetNoTickets() throws Exception {
        shared.join();
        shared.join();
        ClientTls.Registration first = register(1000, true);
        ClientTls.Registration second = register(2000, true); // one client, its cache still empty: no ticket offered
        shared.loggedIn(first, "local:alice");
        shared.loggedIn(second, "local:alice");
        assertFalse(ticket(first));
        assertFalse(ticket(second));
        shared.leave(second);
        assertTrue(ticket(first));
    }

    @Test
    void aControlHandshakeThatResumedAnotherConnectionsSessionSharesItsCache() throws Exception {
        shared.join();
        shared.join();
        ClientTls.Registration alice = register(1000, true);
        shared.loggedIn(alice, "local:alice");
        ClientTls.Registration resumed = register(1000, false);
        shared.loggedIn(resumed, "local:alice");
        assertFalse(ticket(alice));
        shared.leave(resumed);
        assertFalse(ticket(alice), "still the same cache");
    }

    @Test
    void aDataSessionFromAnotherConnectionEndsTheRefreshForThatUser() throws Exception {
        shared.join();
        shared.join();
        ClientTls.Registration alice1 = register(1000, true);
        ClientTls.Registration alice2 = register(2000, true);
        shared.loggedIn(alice1, "local:alice");
        shared.loggedIn(alice2, "local:alice");
        shared.leave(alice2);
        assertTrue(shared.offerTicket(alice1, 0));
        shared.ticketSpent(alice1);
        assertTrue(shared.mayServe(2000, alice1, 0).accepted());
        assertFalse(shared.offerTicket(alice1, 0));
    }

    @Test
    void whileATicketIsOutAControlHandshakeThatOffersOneWaits() throws Exception {
        shared.join();
        ClientTls.Registration alice = register(1000, true);
        shared.loggedIn(alice, "local:alice");
        assertTrue(shared.offerTicket(alice, 0));
        long started = System.nanoTime();
        shared.awaitTicketsSpent(300);
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
        shared.awaitTicketsSpent(10_000);
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "the data handshake ended the wait");
        spender.join();
        shared.join();
        ClientTls.Registration lftp = register(2000, true);
        shared.loggedIn(lftp, "local:alice");
        shared.leave(alice);
        shared.join();
        ClientTls.Registration another = register(3000, true);
        shared.loggedIn(another, "local:alice");
        assertTrue(shared.offerTicket(lftp, 0));
        assertFalse(shared.offerTicket(lftp, 0), "one out per connection");
        started = System.nanoTime();
        shared.leave(lftp);
        shared.awaitTicketsSpent(10_000);
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "a connection that ends gives its ticket up");
    }

    @Test
    void aConnectionNotLoggedInYetIsWaitedForAndItsLoginDecides() throws Exception {
        shared.join();
        shared.join();
        ClientTls.Registration alice = register(1000, true);
        shared.loggedIn(alice, "local:alice");
        ClientTls.Registration fresh = register(2000, true);
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
        ClientTls.Registration other = register(3000, true);
        Thread.ofVirtual().start(() -> shared.loggedIn(other, "local:bob"));
        assertEquals(ClientTls.Verdict.OTHER_LOGIN, shared.mayServe(3000, alice, 10_000));
        register(4000, true);
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

    @Test
    void aHandshakeWaitingForTheOtherSettingKeepsNewcomersOut() throws Exception {
        shared.enter(ClientTls.Mode.QUIET, 1000);
        Thread control = Thread.ofVirtual().start(() -> {
            try {
                shared.enter(ClientTls.Mode.TICKETS, 10_000);
                shared.exit();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        while (control.getState() != Thread.State.WAITING && control.getState() != Thread.State.TIMED_WAITING) {
            Thread.sleep(5);
        }
        assertThrows(SocketTimeoutException.class, () -> shared.enter(ClientTls.Mode.QUIET, 200),
                "another data handshake would starve the control handshake");
        shared.exit();
        control.join(5_000);
        assertFalse(control.isAlive(), "the waiting control handshake had its turn");
        shared.enter(ClientTls.Mode.QUIET, 200);
        shared.exit();
    }
}
