package dev.ferry.storage.local;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes upload temp files left by a crash. It runs in the background while the server already
 * accepts uploads, so it spares temp files of this process's uploads in progress, and any modified
 * since this storage was opened (another Ferry process sharing the root may be writing them).
 * Links are not followed, so the walk never leaves the root.
 */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final TempFiles tempFiles;
    private final Instant openedAt;

    Recovery(TempFiles tempFiles, Instant openedAt) {
        this.tempFiles = tempFiles;
        this.openedAt = openedAt;
    }

    /** Returns how many leftovers were deleted. */
    int run(Path dir) throws IOException {
        int[] deleted = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (isLeftover(file, attributes)) {
                    try {
                        Files.deleteIfExists(file);
                        deleted[0]++;
                    } catch (IOException e) {
                        LOG.warn("Could not delete the interrupted upload {}", file, e);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                // an unreadable directory holds nothing we could have written
                LOG.debug("Recovery skips {}: {}", file, e.toString());
                return FileVisitResult.CONTINUE;
            }
        });
        if (deleted[0] > 0) {
            LOG.info("Deleted {} leftover upload temp file(s) below {}", deleted[0], dir);
        }
        return deleted[0];
    }

    private boolean isLeftover(Path file, BasicFileAttributes attributes) {
        return attributes.isRegularFile()
                && TempFiles.isTempName(file.getFileName().toString())
                && !tempFiles.isActive(file)
                && attributes.lastModifiedTime().toInstant().isBefore(openedAt);
    }
}
