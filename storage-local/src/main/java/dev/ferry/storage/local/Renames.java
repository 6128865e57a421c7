package dev.ferry.storage.local;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * RNFR/RNTO inside the jail: renameat(2) from the source's open directory to the destination's. The
 * names themselves are moved (a link is moved as a link, a link at the destination is replaced),
 * but a link counts as what it shows when deciding what may move where, and a link leading out of
 * the jail is as if absent. The root may hold mount points: across them a file is copied (through
 * the same descriptors) and the source deleted; a directory tree is refused.
 */
final class Renames {

    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final TempFiles tempFiles;
    private final boolean posix;

    Renames(TempFiles tempFiles, boolean posix) {
        this.tempFiles = tempFiles;
        this.posix = posix;
    }

    void rename(Walk walk, StoragePath from, StoragePath to) throws StorageException {
        if (from.isRoot()) {
            throw new StorageException.AccessDenied(from, "the root cannot be moved");
        }
        if (to.isRoot()) {
            throw new StorageException.AlreadyExists(to);
        }
        Entry source = walk.resolve(from, false, false);
        if (!source.exists()) {
            throw new StorageException.NotFound(from);
        }
        BasicFileAttributes sourceShows = shown(walk, from, source, false);
        if (from.equals(to)) {
            return;
        }
        boolean directory = sourceShows != null && sourceShows.isDirectory();
        try (Walk toWalk = walk.restart()) {
            Entry destination = toWalk.resolve(to, false, true);
            BasicFileAttributes destinationShows = destination.exists() ? shown(toWalk, to, destination, true) : null;
            if (directory && (from.contains(to)
                    || walk.canonical(from, source).contains(toWalk.canonical(to, destination)))) {
                throw new StorageException.Failed(to, "Cannot move " + from + " into itself", null);
            }
            if (destinationShows != null && destinationShows.isDirectory()) {
                throw directory ? new StorageException.AlreadyExists(to) : new StorageException.IsADirectory(to);
            }
            if (directory && destination.exists()) {
                throw new StorageException.AlreadyExists(to);
            }
            try {
                source.dir().stream().move(source.name(), destination.dir().stream(), destination.name());
            } catch (AtomicMoveNotSupportedException e) {
                if (directory || source.isLink()) {
                    throw new StorageException.Failed(to, "Cannot move " + (directory ? "directory " : "link ") + from
                            + " to another file system", null);
                }
                copyAcross(from, source, destination);
            } catch (IOException e) {
                throw IoErrors.map(from, e);
            }
        }
    }

    /** What the entry shows: its own attributes, or for a link those of its target (null when dangling inside). */
    private static BasicFileAttributes shown(Walk walk, StoragePath path, Entry entry, boolean creating)
            throws StorageException {
        if (!entry.isLink()) {
            return entry.attributes();
        }
        try (Walk link = walk.fork()) {
            return link.follow(path, entry.name(), creating).attributes();
        }
    }

    /**
     * Moves a file to another file system (EXDEV): a temp copy in the destination directory, with
     * the source's time and mode, renamed onto the destination, then the source deleted. As with
     * rename(1) across mounts, the file briefly exists twice.
     */
    void copyAcross(StoragePath from, Entry source, Entry destination) throws StorageException {
        Dir target = destination.dir();
        BasicFileAttributes attributes = source.attributes();
        TempFiles.Opened temp = null;
        try (SeekableByteChannel in = source.dir().stream().newByteChannel(source.name(), READ)) {
            temp = tempFiles.create(target, posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0]);
            copy(in, temp.channel());
            temp.channel().force(true);
            temp.channel().close();
            target.stream().getFileAttributeView(temp.name(), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(attributes.lastModifiedTime(), null, null);
            if (posix) {
                target.stream().getFileAttributeView(temp.name(), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setPermissions(Attributes.permissions(attributes));
            }
            target.stream().move(temp.name(), target.stream(), destination.name());
            source.dir().stream().deleteFile(source.name());
        } catch (IOException e) {
            if (temp != null) {
                try {
                    temp.channel().close();
                } catch (IOException ignored) {
                    // the copy failed already; that error is the one reported
                }
                TempFiles.deleteQuietly(target, temp.name());
            }
            throw IoErrors.map(from, e);
        } finally {
            if (temp != null) {
                tempFiles.release(temp.name());
            }
        }
    }

    private static void copy(SeekableByteChannel in, FileChannel out) throws IOException {
        // a plain read/write loop: file-to-file transferTo may block a virtual thread's carrier
        ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
        while (in.read(buffer) >= 0) {
            buffer.flip();
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            buffer.clear();
        }
    }
}
