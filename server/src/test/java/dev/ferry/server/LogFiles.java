package dev.ferry.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/** Log files the server writes as it goes, read by tests. */
final class LogFiles {

    private LogFiles() {
    }

    /** The lines of {@code file} once one of them matches {@code until} (the writer is asynchronous); fails after 5 s. */
    static List<String> await(Path file, Predicate<String> until) throws Exception {
        List<String> lines = List.of();
        for (int i = 0; i < 200; i++) {
            lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            if (lines.stream().anyMatch(until)) {
                return lines;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no matching line in " + file + ": " + lines);
    }
}
