package dev.ferry.bench;

import dev.ferry.bench.Measurement.Better;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.zip.CRC32;

/**
 * 1,000 × 4 KiB RETR, then 1,000 × 4 KiB STOR, in one session, each phase cut off at a time
 * limit (a server that needs 45 ms per file would otherwise take minutes); files/s counts the
 * files done in the time taken.
 */
final class SmallFilesLoad {

    private SmallFilesLoad() {
    }

    static List<Measurement> run(Target target, LoadFixtures fixtures, Duration limit) throws IOException {
        String scenario = String.format("%,d × %s in one session", fixtures.smallCount(),
                Figures.size(fixtures.smallSize()));
        BenchClient client = target.login();
        int corrupt = 0;
        double retrRate;
        double storRate;
        try {
            long start = System.nanoTime();
            long deadline = start + limit.toNanos();
            int done = 0;
            while (done < fixtures.smallCount() && System.nanoTime() < deadline) {
                CRC32 crc = new CRC32();
                long n = client.retrieve(LoadFixtures.small(done), crc);
                if (n != fixtures.smallSize() || crc.getValue() != fixtures.smallCrcs()[done]) {
                    corrupt++;
                }
                done++;
            }
            retrRate = done / ((System.nanoTime() - start) / 1e9);

            byte[] payload = Fixtures.bytes(fixtures.smallSize(), 99);
            start = System.nanoTime();
            deadline = start + limit.toNanos();
            done = 0;
            while (done < fixtures.smallCount() && System.nanoTime() < deadline) {
                client.store(LoadFixtures.upload(target, String.format("s%04d.bin", done)), payload, payload.length);
                done++;
            }
            storRate = done / ((System.nanoTime() - start) / 1e9);
        } finally {
            client.quietly();
        }
        return List.of(new Measurement(scenario, "RETR files/s", retrRate, Better.HIGHER),
                new Measurement(scenario, "STOR files/s", storRate, Better.HIGHER),
                new Measurement(scenario, "checksum mismatches", corrupt, Better.LOWER));
    }
}
