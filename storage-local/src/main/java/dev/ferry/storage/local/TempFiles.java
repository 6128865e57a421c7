package dev.ferry.storage.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
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
    private static final Set<StandardOpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    /** Names of this process's temp files in use; 64 random bits make them unique across directories. */
    private final Set<String> active = ConcurrentHashMap.newKeySet();

    /** True for names reserved for upload temp files (the whole prefix, not just generated names). */
    static boolean isReserved(String name) {
        return name.startsWith(PREFIX);
    }

    /** True for what {@link #create} makes, i.e. what recovery may delete. */
    static boolean isTempName(String name) {
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
    }

    /**
     * Creates a new, empty temp file in {@code dir} (openat with O_CREAT|O_EXCL, so never through a
     * link) with {@code mode}, if given, from the first moment, and opens it for writing.
     */
    Opened create(Dir dir, FileAttribute<?>... mode) throws IOException {
        while (true) {
            byte[] random = new byte[8];
            ThreadLocalRandom.current().nextBytes(random);
            String name = PREFIX + HexFormat.of().formatHex(random) + SUFFIX;
            if (!active.add(name)) {
                continue;
            }
            Path temp = Path.of(name);
            try {
                SeekableByteChannel channel = dir.stream().newByteChannel(temp, CREATE, mode);
                if (channel instanceof FileChannel file) {
                    return new Opened(temp, file);
                }
                channel.close();
                dir.stream().deleteFile(temp);
                throw new IOException("the platform's directory streams do not open FileChannels");
            } catch (FileAlreadyExistsException collision) {
                active.remove(name);
            } catch (IOException | RuntimeException e) {
                active.remove(name);
                throw e;
            }
        }
    }

    /** An upload of this process is still writing to the temp file {@code name}. */
    boolean isActive(String name) {
        return active.contains(name);
    }

    /** The upload using {@code temp} has ended (its file was moved or is to be deleted). */
    void release(Path temp) {
        active.remove(temp.toString());
    }

    record Opened(Path name, FileChannel channel) {
    }

    /** Deletes {@code temp} from {@code dir} on paths that already failed: a second error is logged, not thrown. */
    static void deleteQuietly(Dir dir, Path temp) {
        try {
            dir.stream().deleteFile(temp);
        } catch (NoSuchFileException gone) {
            // already moved or deleted
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not delete upload temp file {}; recovery removes it at the next start", temp, e);
        }
    }
}
