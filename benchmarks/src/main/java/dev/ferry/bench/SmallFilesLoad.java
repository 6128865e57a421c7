package dev.ferry.bench;

import dev.ferry.bench.Measurement.Better;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.zip.CRC32;

/**
 * 1,000 × 4 KiB RETR, then 1,000 × 4 KiB STOR, in one session, each phase cut off at a time
 * limit (a server that needs 45 ms per file would otherwise take minutes); files/s counts the
 * files done in the time taken. Each phase runs twice: the first pass is what a freshly started
 * server does (a JVM server still compiles its transfer path then), the second the same server
 * warm, as the listings report their first call and a warm median. The second STOR pass uploads
 * under new names (pure-ftpd's anonymous users may not replace a file).
 */
final class SmallFilesLoad {

    private SmallFilesLoad() {
    }

    static List<Measurement> run(Target target, LoadFixtures fixtures, Duration limit) throws IOException {
        String scenario = String.format("%,d × %s in one session", fixtures.smallCount(),
                Figures.size(fixtures.smallSize()));
        BenchClient client = target.login();
        int[] corrupt = {0};
        double retrRate;
        double retrWarm;
        double storRate;
        double storWarm;
        try {
            retrRate = retrieve(client, fixtures, limit, corrupt);
            retrWarm = retrieve(client, fixtures, limit, corrupt);
            byte[] payload = Fixtures.bytes(fixtures.smallSize(), 99);
            storRate = store(client, target, fixtures, limit, payload, "s");
            storWarm = store(client, target, fixtures, limit, payload, "w");
        } finally {
            client.quietly();
        }
        return List.of(new Measurement(scenario, "RETR files/s", retrRate, Better.HIGHER),
                new Measurement(scenario, "RETR files/s, warm", retrWarm, Better.HIGHER),
                new Measurement(scenario, "STOR files/s", storRate, Better.HIGHER),
                new Measurement(scenario, "STOR files/s, warm", storWarm, Better.HIGHER),
                new Measurement(scenario, "checksum mismatches", corrupt[0], Better.LOWER));
    }

    /** One pass of RETRs over the small files, each checked by CRC-32; files/s. */
    private static double retrieve(BenchClient client, LoadFixtures fixtures, Duration limit, int[] corrupt)
            throws IOException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        int done = 0;
        while (done < fixtures.smallCount() && System.nanoTime() < deadline) {
            CRC32 crc = new CRC32();
            long n = client.retrieve(LoadFixtures.small(done), crc);
            if (n != fixtures.smallSize() || crc.getValue() != fixtures.smallCrcs()[done]) {
                corrupt[0]++;
            }
            done++;
        }
        return done / ((System.nanoTime() - start) / 1e9);
    }

    /** One pass of STORs, named {@code prefix0000.bin} on; files/s. */
    private static double store(BenchClient client, Target target, LoadFixtures fixtures, Duration limit,
                                byte[] payload, String prefix) throws IOException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        int done = 0;
        while (done < fixtures.smallCount() && System.nanoTime() < deadline) {
            client.store(LoadFixtures.upload(target, String.format("%s%04d.bin", prefix, done)), payload,
                    payload.length);
            done++;
        }
        return done / ((System.nanoTime() - start) / 1e9);
    }
}
