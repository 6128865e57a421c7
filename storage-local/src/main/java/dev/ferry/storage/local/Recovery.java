package dev.ferry.storage.local;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes upload temp files left by a crash. It runs in the background while the server already
 * accepts uploads, so it spares temp files of this process's uploads in progress, and any modified
 * since this storage was opened (another Ferry process sharing the root may be writing them).
 * It walks the tree through directory descriptors without following links (openat with
 * O_NOFOLLOW, unlinkat), so neither a link nor a directory swapped for one takes it out of the root.
 */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final TempFiles tempFiles;
    private final Attributes attributes;
    private final Instant openedAt;

    Recovery(TempFiles tempFiles, Attributes attributes, Instant openedAt) {
        this.tempFiles = tempFiles;
        this.attributes = attributes;
        this.openedAt = openedAt;
    }

    /** Returns how many leftovers were deleted below {@code dir} (which the caller closes). */
    int run(Dir dir) {
        int deleted = sweep(dir.stream());
        if (deleted > 0) {
            LOG.info("Deleted {} leftover upload temp file(s)", deleted);
        }
        return deleted;
    }

    private int sweep(SecureDirectoryStream<Path> dir) {
        int deleted = 0;
        try {
            for (Path entry : dir) {
                Path name = entry.getFileName();
                try {
                    BasicFileAttributes own = attributes.lstat(dir, name);
                    if (own.isDirectory()) {
                        try (SecureDirectoryStream<Path> below = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                            deleted += sweep(below);
                        }
                    } else if (isLeftover(name.toString(), own)) {
                        deleted += delete(dir, name, entry);
                    }
                } catch (NoSuchFileException gone) {
                    // removed meanwhile
                } catch (IOException e) {
                    // an unreadable directory holds nothing we could have written
                    LOG.debug("Recovery skips {}: {}", entry, e.toString());
                }
            }
        } catch (DirectoryIteratorException e) {
            LOG.debug("Recovery stops listing a directory: {}", e.getCause().toString());
        }
        return deleted;
    }

    private static int delete(SecureDirectoryStream<Path> dir, Path name, Path entry) {
        try {
            dir.deleteFile(name);
            return 1;
        } catch (NoSuchFileException gone) {
            return 0;
        } catch (IOException e) {
            LOG.warn("Could not delete the interrupted upload {}", entry, e);
            return 0;
        }
    }

    private boolean isLeftover(String name, BasicFileAttributes attributes) {
        return attributes.isRegularFile()
                && TempFiles.isTempName(name)
                && !tempFiles.isActive(name)
                && attributes.lastModifiedTime().toInstant().isBefore(openedAt);
    }
}
