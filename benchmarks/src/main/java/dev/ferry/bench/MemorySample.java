package dev.ferry.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A server process's memory at one moment, in bytes; NaN where it cannot be known (the heap of a
 * server that is not a JVM we started).
 *
 * <p>heapUsed is the live heap after a full GC: the objects a session keeps. rss and pss come from
 * /proc/PID/smaps_rollup and include everything the process has resident: heap pages the JVM has
 * touched (even if now free), thread stacks, NIO buffers, metaspace. Kernel socket buffers belong
 * to the kernel and are in neither.
 */
public record MemorySample(double heapUsed, double heapCommitted, double rss, double pss) {

    /** This JVM, after asking for a full GC twice (a second pass catches what finalization freed). */
    static MemorySample ofThisJvm() throws IOException, InterruptedException {
        System.gc();
        Thread.sleep(200);
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemorySample os = ofProcess(ProcessHandle.current().pid());
        return new MemorySample(heap.getUsed(), heap.getCommitted(), os.rss(), os.pss());
    }

    /** Rss and Pss of any process of ours; heap unknown. NaN on systems without smaps_rollup. */
    static MemorySample ofProcess(long pid) throws IOException {
        Path rollup = Path.of("/proc", Long.toString(pid), "smaps_rollup");
        if (!Files.isReadable(rollup)) {
            return new MemorySample(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return parseRollup(Files.readAllLines(rollup));
    }

    /**
     * A server of several processes (vsftpd forks one per session): the sum over {@code root} and
     * its descendants now; a process that ended meanwhile counts for nothing.
     */
    static MemorySample ofProcessTree(ProcessHandle root) throws IOException {
        double rss = 0;
        double pss = 0;
        for (ProcessHandle process : Stream.concat(Stream.of(root), root.descendants()).toList()) {
            MemorySample one;
            try {
                one = ofProcess(process.pid());
            } catch (java.nio.file.FileSystemException ended) {
                continue; // ended between the listing of the tree and the read ("No such process")
            }
            if (!Double.isNaN(one.rss())) {
                rss += one.rss();
                pss += one.pss();
            }
        }
        return new MemorySample(Double.NaN, Double.NaN, rss, pss);
    }

    /** Reads the "Rss:" and "Pss:" lines (in kB) of smaps_rollup. */
    static MemorySample parseRollup(java.util.List<String> lines) {
        double rss = Double.NaN;
        double pss = Double.NaN;
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 2 && parts[0].equals("Rss:")) {
                rss = Long.parseLong(parts[1]) * 1024.0;
            } else if (parts.length >= 2 && parts[0].equals("Pss:")) {
                pss = Long.parseLong(parts[1]) * 1024.0;
            }
        }
        return new MemorySample(Double.NaN, Double.NaN, rss, pss);
    }

    /** One line for the parent process: "memory HEAPUSED HEAPCOMMITTED RSS PSS". */
    String toLine() {
        return "memory " + heapUsed + " " + heapCommitted + " " + rss + " " + pss;
    }

    static MemorySample fromLine(String line) {
        String[] parts = line.trim().split(" ");
        if (parts.length != 5 || !parts[0].equals("memory")) {
            throw new IllegalArgumentException("not a memory line: " + line);
        }
        return new MemorySample(Double.parseDouble(parts[1]), Double.parseDouble(parts[2]),
                Double.parseDouble(parts[3]), Double.parseDouble(parts[4]));
    }
}
