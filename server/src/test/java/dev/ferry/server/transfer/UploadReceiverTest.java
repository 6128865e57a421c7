package dev.ferry.server.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The upload path of plain connections, over real loopback sockets, on virtual threads as in the server. */
@Timeout(60)
class UploadReceiverTest {

    @Test
    void everyByteArrivesInOrderAndIsCounted() throws Exception {
        // more than the buffer, and not a multiple of it, sent in odd pieces; twice, so the
        // second upload reuses the first one's buffer
        for (int round = 0; round < 2; round++) {
            byte[] content = new byte[3 * UploadReceiver.BUFFER_SIZE + 12_345];
            new Random(round).nextBytes(content);
            try (Pair pair = Pair.open()) {
                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> pair.send(content, 7_777, true),
                        Thread::startVirtualThread);
                Progress progress = new Progress();
                ByteArrayOutputStream stored = new ByteArrayOutputStream();
                long received = onVirtualThread(() -> new UploadReceiver(pair.server, progress)
                        .receive(Channels.newChannel(stored)));
                sent.get(10, TimeUnit.SECONDS);
                assertEquals(content.length, received);
                assertEquals(content.length, progress.bytes());
                assertArrayEquals(content, stored.toByteArray());
            }
        }
    }

    @Test
    void moreUploadsAtOnceThanDirectBuffersAllArriveWhole() throws Exception {
        // the uploads beyond the direct buffers read into heap arrays: all must arrive whole,
        // and the direct buffers must come back for the next round
        int uploads = UploadReceiver.MOST_DIRECT + 6;
        for (int round = 0; round < 2; round++) {
            List<Pair> pairs = new ArrayList<>();
            List<CompletableFuture<byte[]>> stored = new ArrayList<>();
            List<byte[]> contents = new ArrayList<>();
            try {
                for (int i = 0; i < uploads; i++) {
                    pairs.add(Pair.open());
                }
                // every receiver is reading before any client sends, so all hold a buffer at once
                List<Thread> receivers = new ArrayList<>();
                for (Pair pair : pairs) {
                    CompletableFuture<byte[]> result = new CompletableFuture<>();
                    receivers.add(Thread.startVirtualThread(() -> {
                        try {
                            ByteArrayOutputStream into = new ByteArrayOutputStream();
                            new UploadReceiver(pair.server, new Progress()).receive(Channels.newChannel(into));
                            result.complete(into.toByteArray());
                        } catch (Throwable e) {
                            result.completeExceptionally(e);
                        }
                    }));
                    stored.add(result);
                }
                for (Thread receiver : receivers) {
                    for (int i = 0; i < 1000 && receiver.getState() != Thread.State.WAITING; i++) {
                        Thread.sleep(10);
                    }
                    assertEquals(Thread.State.WAITING, receiver.getState(), "a receiver parked in its read");
                }
                for (int i = 0; i < uploads; i++) {
                    byte[] content = new byte[UploadReceiver.BUFFER_SIZE + 1000 * i];
                    new Random(i).nextBytes(content);
                    contents.add(content);
                    Pair pair = pairs.get(i);
                    Thread.startVirtualThread(() -> pair.send(content, 50_000, true));
                }
                for (int i = 0; i < uploads; i++) {
                    assertArrayEquals(contents.get(i), stored.get(i).get(30, TimeUnit.SECONDS), "upload " + i);
                }
            } finally {
                for (Pair pair : pairs) {
                    pair.close();
                }
            }
        }
    }

    @Test
    void aStorageThatFailsIsTheStoragesFailureNotTheNetworks() throws Exception {
        try (Pair pair = Pair.open()) {
            CompletableFuture.runAsync(() -> pair.send(new byte[100_000], 100_000, false), Thread::startVirtualThread);
            WritableByteChannel full = new WritableByteChannel() {
                @Override
                public int write(ByteBuffer src) throws IOException {
                    throw new IOException("No space left on device");
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public void close() {
                }
            };
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> onVirtualThread(() -> new UploadReceiver(pair.server, new Progress()).receive(full)));
            assertInstanceOf(Copier.StorageSideFailure.class, failed.getCause());
        }
    }

    @Test
    void closingTheConnectionWakesAReadThatWaitsForAClientGoneQuiet() throws Exception {
        try (Pair pair = Pair.open()) {
            pair.send(new byte[1000], 1000, false);
            Progress progress = new Progress();
            CompletableFuture<Long> receiving = new CompletableFuture<>();
            Thread.startVirtualThread(() -> {
                try {
                    receiving.complete(new UploadReceiver(pair.server, progress)
                            .receive(Channels.newChannel(new ByteArrayOutputStream())));
                } catch (Throwable e) {
                    receiving.completeExceptionally(e);
                }
            });
            for (int i = 0; i < 200 && progress.bytes() < 1000; i++) {
                Thread.sleep(10);
            }
            assertEquals(1000, progress.bytes());
            assertTrue(!receiving.isDone(), "the receiver waits for more");
            pair.server.close(); // what ABOR and the stall watchdog do
            ExecutionException failed = assertThrows(ExecutionException.class, () -> receiving.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, failed.getCause());
            assertTrue(!(failed.getCause() instanceof Copier.StorageSideFailure), "a network failure: 426, not 451");
        }
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T onVirtualThread(Call<T> call) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.startVirtualThread(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(30, TimeUnit.SECONDS);
    }

    /** A connected loopback pair: the client's end and the server's (blocking, as a data connection is). */
    private record Pair(SocketChannel client, SocketChannel server) implements AutoCloseable {
        static Pair open() throws IOException {
            try (ServerSocketChannel listener = ServerSocketChannel.open()) {
                listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                return new Pair(client, listener.accept());
            }
        }

        void send(byte[] content, int piece, boolean thenClose) {
            try {
                for (int offset = 0; offset < content.length; offset += piece) {
                    ByteBuffer chunk = ByteBuffer.wrap(content, offset, Math.min(piece, content.length - offset));
                    while (chunk.hasRemaining()) {
                        client.write(chunk);
                    }
                }
                if (thenClose) {
                    client.shutdownOutput();
                }
            } catch (IOException e) {
                // the receiver may close first (a failing storage)
            }
        }

        @Override
        public void close() throws IOException {
            client.close();
            server.close();
        }
    }
}
