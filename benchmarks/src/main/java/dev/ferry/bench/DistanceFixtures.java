package dev.ferry.bench;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * The bucket {@link DistanceBench} reads: one large object, many small ones, a prefix of empty
 * keys to list, and an upload directory per client. Written straight to S3Proxy, not through the
 * relay, 32 requests at a time.
 */
final class DistanceFixtures {

    static final String SMALL = "small";
    static final String LIST = "list";
    static final String UPLOADS = "up";

    private DistanceFixtures() {
    }

    static List<String> smallKeys(int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("%s/s%04d", SMALL, i)).toList();
    }

    /** The key of an upload by {@code client}. */
    static String upload(String client, String name) {
        return UPLOADS + "/" + client + "/" + name;
    }

    static void fill(URI endpoint, DistanceOptions o, String[] clients) throws IOException {
        try (SdkTransfers direct = new SdkTransfers(endpoint, S3Sandbox.BUCKET, o.parallelism(), o.partSize())) {
            if (o.runs("retr")) {
                direct.putParallel("big.bin", o.bigSize());
            }
            byte[] small = Fixtures.bytes(o.smallSize(), 5);
            List<Runnable> puts = new ArrayList<>();
            for (String key : smallKeys(o.runs("small-retr") ? o.smallCount() : 0)) {
                puts.add(() -> direct.put(key, small));
            }
            for (int i = 0; i < (o.runs("list") ? o.listKeys() : 0); i++) {
                String key = String.format("%s/k%05d", LIST, i);
                puts.add(() -> direct.put(key, new byte[0]));
            }
            // the directories uploads go into: Ferry checks that a new file's parent exists
            for (String client : clients) {
                puts.add(() -> direct.put(UPLOADS + "/" + client + "/", new byte[0]));
            }
            run(puts);
        }
    }

    private static void run(List<Runnable> tasks) throws IOException {
        try (ExecutorService pool = Executors.newFixedThreadPool(32, Thread.ofVirtual().factory())) {
            List<Future<?>> running = new ArrayList<>();
            for (Runnable task : tasks) {
                running.add(pool.submit(task));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while filling the bucket", e);
        } catch (ExecutionException e) {
            throw new IOException("filling the bucket failed: " + e.getCause(), e.getCause());
        }
    }
}
