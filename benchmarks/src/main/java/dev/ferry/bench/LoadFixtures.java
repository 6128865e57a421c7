package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file set every load scenario reads, written once to a directory all servers serve:
 * {@code big.bin} (10 MiB), {@code huge.bin} (1 GiB, when a scenario reads it),
 * {@code small/f0000.bin}... (1,000 × 4 KiB), {@code list/} (10,000 empty files) and an empty
 * {@code upload/} for STOR.
 */
record LoadFixtures(Path root, long bigSize, long bigCrc, long hugeSize, long hugeCrc, int smallCount,
        int smallSize, long[] smallCrcs, int listCount) {

    static final String BIG = "big.bin";
    static final String HUGE = "huge.bin";
    static final String LIST = "list";
    static final String UPLOAD = "upload";

    /** {@code hugeSize} 0: no huge.bin. */
    static LoadFixtures create(Path root, long bigSize, long hugeSize, int smallCount, int smallSize, int listCount)
            throws IOException {
        Files.createDirectories(root.resolve("small"));
        Files.createDirectories(root.resolve(LIST));
        // a kept --fixtures directory starts without the last run's uploads: pure-ftpd's anonymous
        // users cannot replace a file
        Fixtures.deleteTree(root.resolve(UPLOAD));
        Files.createDirectories(root.resolve(UPLOAD));
        long bigCrc = Fixtures.writeRandom(root.resolve(BIG), bigSize, 1);
        long hugeCrc = hugeSize > 0 ? Fixtures.writeRandom(root.resolve(HUGE), hugeSize, 2) : 0;
        long[] crcs = new long[smallCount];
        for (int i = 0; i < smallCount; i++) {
            byte[] content = Fixtures.bytes(smallSize, 1000 + i);
            Files.write(root.resolve(small(i)), content);
            crcs[i] = Fixtures.crc(content);
        }
        for (int i = 0; i < listCount; i++) {
            Path file = root.resolve(LIST).resolve(String.format("entry-%05d.txt", i));
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
        }
        return new LoadFixtures(root, bigSize, bigCrc, hugeSize, hugeCrc, smallCount, smallSize, crcs, listCount);
    }

    /**
     * An upload name below {@code upload/} of the target's own: servers may run as different users
     * (vsftpd writes as ftp), and one cannot overwrite the file another created.
     */
    static String upload(Target target, String name) {
        return UPLOAD + "/" + target.name() + "-" + name;
    }

    /** The path of small file {@code i}, relative to the root (and so to the FTP login directory). */
    static String small(int i) {
        return String.format("small/f%04d.bin", i);
    }
}
