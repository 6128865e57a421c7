package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17, passive ports squatted: pasv_claim_timeout gives back the port of a listener no transfer
 * command claims, and when the range is full a client that uses its ports takes one over from an
 * address that holds them unused, never the other way round.
 */
@Timeout(60)
class PassiveClaimIT {

    private static final byte[] CONTENT = Clients.random(50_000, 5);

    private static RawClient from(String source, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        RawClient client = new RawClient(socket);
        assertEquals(220, client.reply().code());
        client.command("USER anonymous");
        assertEquals(230, client.command("PASS squat@example.com").code());
        return client;
    }

    @Test
    void anUnclaimedListenerGivesItsPortBackWithinTheClaimTime() throws Exception {
        int min = Clients.freeRange(1);
        try (TestServer server = TestServer.builder().set("pasv_min_port", Integer.toString(min))
                .set("pasv_max_port", Integer.toString(min)).set("pasv_claim_timeout", "1").start();
             RawClient squatter = RawClient.anonymous(server.port())) {
            server.put("/f.bin", CONTENT);
            assertEquals(227, squatter.command("PASV").code());
            long start = System.nanoTime();
            FTPClient client = server.anonymous();
            // same address, so no takeover: the one port comes free only when the claim time is over
            assertEquals(425, client.sendCommand("PASV"), client.getReplyString());
            int code = 425;
            for (int i = 0; i < 60 && code == 425; i++) {
                Thread.sleep(50);
                code = client.sendCommand("PASV");
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(227, code, client.getReplyString());
            assertTrue(millis >= 800 && millis < 3_000, "port back after " + millis + " ms for a 1 s claim time");
            assertArrayEquals(CONTENT, Clients.retrieve(client, "f.bin"), "the freed port serves a transfer");
            RawClient.Reply late = squatter.command("RETR f.bin");
            assertEquals(425, late.code(), late.toString());
            assertTrue(late.text().contains("send PASV again"), late.toString());
            client.disconnect();
        }
    }

    @Test
    void aClientThatUsesItsPortsTakesOneOverFromSquattersAndNotTheReverse() throws Exception {
        int min = Clients.freeRange(4);
        List<RawClient> squatters = new ArrayList<>();
        try (TestServer server = TestServer.builder().set("pasv_min_port", Integer.toString(min))
                .set("pasv_max_port", Integer.toString(min + 3)).set("pasv_max_per_ip", "10")
                .set("pasv_claim_timeout", "30").start()) { // long: this is about takeovers, not expiry
            server.put("/f.bin", CONTENT);
            for (int i = 0; i < 4; i++) {
                RawClient squatter = from("127.0.0.2", server.port());
                squatters.add(squatter);
                assertEquals(227, squatter.command("PASV").code());
            }
            RawClient late = from("127.0.0.2", server.port());
            squatters.add(late);
            assertEquals(425, late.command("PASV").code(), "no takeover from one's own address");

            FTPClient client = server.anonymous(); // 127.0.0.1 holds none: 127.0.0.2 holds 4
            long start = System.nanoTime();
            assertArrayEquals(CONTENT, Clients.retrieve(client, "f.bin"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 1_000, "download took " + millis + " ms");

            assertEquals(227, client.sendCommand("PASV"), client.getReplyString());
            // the squatters cannot take back the port of a client that uses its ports
            for (RawClient squatter : squatters.subList(0, 4)) {
                RawClient.Reply reply = squatter.command("PASV");
                assertTrue(reply.code() == 227 || reply.code() == 425, reply.toString());
            }
            assertEquals(425, late.command("PASV").code());
            assertArrayEquals(CONTENT, Clients.retrieve(client, "f.bin"), "its listener was left alone");
            client.disconnect();
        } finally {
            for (RawClient squatter : squatters) {
                squatter.close();
            }
        }
    }
}
