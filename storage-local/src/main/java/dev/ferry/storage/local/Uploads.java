package dev.ferry.storage.local;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Starts uploads: finds the target through the jail (a link inside is written through, one leading
 * out is refused), creates the temp file in the target's directory with the file's final mode from
 * the first moment, and copies the bytes Append and ResumeAt keep.
 *
 * <p>That copy costs a read and a write of the kept part per upload (and the disk space of a second
 * copy until commit), and two simultaneous appends to one file keep only the later one. In return a
 * failed or aborted APPE or REST+STOR leaves the file exactly as it was; writing in place would
 * leave a half-appended or truncated file after a dropped connection or a crash.
 */
final class Uploads {

    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    private static final FileAttribute<?>[] DEFAULT_MODE = {};

    private final TempFiles tempFiles;
    private final boolean posix;
    private final boolean fsync;

    Uploads(TempFiles tempFiles, boolean posix, boolean fsync) {
        this.tempFiles = tempFiles;
        this.posix = posix;
        this.fsync = fsync;
    }

    /**
     * @param permissions the committed file's mode; empty: a replaced file keeps its mode, a new one
     *                    gets the process default (0666 less the umask)
     */
    Upload open(Walk walk, StoragePath path, WriteMode mode, OptionalInt permissions) throws StorageException {
        if (path.isRoot()) {
            throw new StorageException.IsADirectory(path);
        }
        Entry target = walk.resolve(path, true, true);
        if (target.isRoot() || target.isDirectory()) {
            throw new StorageException.IsADirectory(path);
        }
        if (target.exists() && !target.isRegularFile()) {
            throw new StorageException.AccessDenied(path, "not a regular file");
        }
        long keep = mode.bytesToKeep(path,
                target.exists() ? OptionalLong.of(target.attributes().size()) : OptionalLong.empty());
        Set<PosixFilePermission> finalMode = !posix ? null
                : permissions.isPresent() ? Attributes.permissions(permissions.getAsInt())
                : target.exists() ? Attributes.permissions(target.attributes())
                : null;
        Dir dir = walk.detachHere();
        TempFiles.Opened temp = null;
        try {
            temp = tempFiles.create(dir, finalMode == null ? DEFAULT_MODE
                    : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(finalMode)});
            if (finalMode != null) {
                // created with at most these bits (the umask may have taken some); now exactly these
                dir.stream().getFileAttributeView(temp.name(), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setPermissions(finalMode);
            }
            if (keep > 0) {
                copyPrefix(dir, target.name(), temp.channel(), keep);
            }
            return new LocalUpload(path, dir, target.name(), temp, mode, posix, tempFiles, fsync);
        } catch (IOException | RuntimeException e) {
            if (temp != null) {
                closeQuietly(temp.channel());
                TempFiles.deleteQuietly(dir, temp.name());
                tempFiles.release(temp.name());
            }
            dir.close();
            if (e instanceof IOException io) {
                throw IoErrors.map(path, io);
            }
            throw (RuntimeException) e;
        }
    }

    private static void copyPrefix(Dir dir, Path source, FileChannel out, long length) throws IOException {
        // a plain read/write loop: file-to-file transferTo may block a virtual thread's carrier
        try (SeekableByteChannel in = dir.stream().newByteChannel(source, READ)) {
            if (in.size() < length) {
                throw new IOException(source + " shrank below " + length + " bytes while opening the upload");
            }
            ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
            long copied = 0;
            while (copied < length) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), length - copied));
                int read = in.read(buffer);
                if (read < 0) {
                    throw new IOException(source + " ended before " + length + " bytes");
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    copied += out.write(buffer);
                }
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the upload failed already; that error is the one reported
        }
    }
}
