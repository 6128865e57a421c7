package dev.ferry.storage.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hidden siblings uploads are written to before the atomic move onto their target. Every name
 * with the reserved prefix belongs to Ferry: clients can neither see nor name one, so a leftover
 * found at startup can only come from an interrupted upload and is safe to delete.
 */
final class TempFiles {

    static final String PREFIX = ".ferry-upload-";
    static final String SUFFIX = ".part";

    private static final Logger LOG = LoggerFactory.getLogger(TempFiles.class);

    private final Set<Path> active = ConcurrentHashMap.newKeySet();

    /** True for names reserved for upload temp files (the whole prefix, not just generated names). */
    static boolean isReserved(String name) {
        return name.startsWith(PREFIX);
    }

    /** True for what {@link #create} makes, i.e. what recovery may delete. */
    static boolean isTempName(String name) {
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
    }

    /** Creates a new, empty temp file in {@code dir} and opens it for writing. */
    Opened create(Path dir) throws IOException {
        while (true) {
            byte[] random = new byte[8];
            ThreadLocalRandom.current().nextBytes(random);
            Path temp = dir.resolve(PREFIX + HexFormat.of().formatHex(random) + SUFFIX);
            active.add(temp);
            try {
                FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
                return new Opened(temp, channel);
            } catch (FileAlreadyExistsException collision) {
                active.remove(temp);
            } catch (IOException | RuntimeException e) {
                active.remove(temp);
                throw e;
            }
        }
    }

    /** An upload of this process is still writing to {@code temp}. */
    boolean isActive(Path temp) {
        return active.contains(temp);
    }

    /** The upload using {@code temp} has ended (its file was moved or is to be deleted). */
    void release(Path temp) {
        active.remove(temp);
    }

    record Opened(Path path, FileChannel channel) {
    }

    /** Deletes {@code temp} on paths that already failed: a second error is logged, not thrown. */
    static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.warn("Could not delete upload temp file {}; recovery removes it at the next start", temp, e);
        }
    }
}
