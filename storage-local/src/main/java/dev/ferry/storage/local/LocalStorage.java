package dev.ferry.storage.local;

import dev.ferry.storage.Capability;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory tree on local disk, through java.nio.file. All paths pass through
 * {@link Confinement}, uploads through {@link LocalUpload}'s temp-then-rename.
 */
final class LocalStorage implements Storage {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStorage.class);

    private final Confinement confinement;
    private final Set<Capability> capabilities;
    private final boolean posix;
    private final Attributes attributes;
    private final TempFiles tempFiles = new TempFiles();
    private final Recovery recovery;

    /** Serves {@code root}, absolute or relative to the working directory; it must be a directory. */
    LocalStorage(Path root) throws StorageException {
        Path real;
        try {
            real = root.toAbsolutePath().toRealPath();
        } catch (IOException e) {
            throw new StorageException.Failed(StoragePath.ROOT,
                    "local_storage_root " + root.toAbsolutePath() + " is not usable: " + e, e);
        }
        if (!Files.isDirectory(real)) {
            throw new StorageException.Failed(StoragePath.ROOT,
                    "local_storage_root " + real + " is not a directory", null);
        }
        this.confinement = new Confinement(real);
        this.posix = supportsPosix(real);
        this.attributes = new Attributes(posix);
        this.recovery = new Recovery(tempFiles, Instant.now());
        EnumSet<Capability> offered = EnumSet.of(Capability.RANDOM_READ, Capability.APPEND,
                Capability.WRITE_AT_OFFSET, Capability.EXCLUSIVE_CREATE, Capability.ATOMIC_REPLACE,
                Capability.RENAME, Capability.RENAME_DIRECTORY, Capability.EMPTY_DIRECTORIES,
                Capability.SET_MODIFIED);
        if (posix) {
            offered.add(Capability.POSIX_ATTRIBUTES);
        }
        this.capabilities = Collections.unmodifiableSet(offered);
        String encoding = System.getProperty("sun.jnu.encoding", "");
        if (!encoding.equalsIgnoreCase("UTF-8")) {
            LOG.warn("File names are encoded as {} (from the locale): names outside it are refused."
                    + " Start Ferry with a UTF-8 locale (LANG=C.UTF-8) to serve every name.", encoding);
        }
        LOG.info("Local storage serves {}", real);
    }

    private static boolean supportsPosix(Path root) {
        try {
            return Files.getFileStore(root).supportsFileAttributeView(PosixFileAttributeView.class);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public FileInfo stat(StoragePath path) throws StorageException {
        return info(path, confinement.existing(path));
    }

    @Override
    public Listing list(StoragePath dir) throws StorageException {
        Path real = confinement.existing(dir);
        DirectoryStream<Path> stream;
        try {
            stream = Files.newDirectoryStream(real);
        } catch (IOException e) {
            throw IoErrors.map(dir, e);
        }
        return new DirectoryListing(dir, stream, confinement, attributes);
    }

    /** The channel is a plain FileChannel: the server reads it with a buffered copy, never transferTo. */
    @Override
    public ReadableByteChannel openRead(StoragePath path, long offset) throws StorageException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        Path real = confinement.existing(path);
        if (info(path, real).isDirectory()) {
            throw new StorageException.IsADirectory(path);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            return channel.position(offset);
        } catch (IOException e) {
            closeQuietly(channel);
            throw IoErrors.map(path, e);
        }
    }

    /**
     * Append and ResumeAt copy the bytes they keep into the temp file before the client's bytes
     * follow. That costs a read and a write of the kept part per upload (and the disk space of a
     * second copy until commit), and two simultaneous appends to one file keep only the later one.
     * In return a failed or aborted APPE or REST+STOR leaves the file exactly as it was; writing in
     * place would leave a half-appended or truncated file after a dropped connection or a crash.
     */
    @Override
    public Upload openWrite(StoragePath path, WriteMode mode) throws StorageException {
        if (path.isRoot()) {
            throw new StorageException.IsADirectory(path);
        }
        Path target = confinement.writeTarget(path);
        BasicFileAttributes existing = existingAttributes(path, target);
        if (existing != null && existing.isDirectory()) {
            throw new StorageException.IsADirectory(path);
        }
        if (existing != null && !existing.isRegularFile()) {
            throw new StorageException.AccessDenied(path, "not a regular file");
        }
        long keep = mode.bytesToKeep(path,
                existing == null ? OptionalLong.empty() : OptionalLong.of(existing.size()));
        TempFiles.Opened temp;
        try {
            temp = tempFiles.create(target.getParent());
        } catch (IOException e) {
            throw IoErrors.map(path, e);
        }
        try {
            if (existing != null) {
                keepPermissions(target, temp.path());
            }
            if (keep > 0) {
                copyPrefix(target, temp.channel(), keep);
            }
        } catch (IOException e) {
            closeQuietly(temp.channel());
            TempFiles.deleteQuietly(temp.path());
            tempFiles.release(temp.path());
            throw IoErrors.map(path, e);
        }
        return new LocalUpload(path, target, temp, mode, tempFiles);
    }

    private static BasicFileAttributes existingAttributes(StoragePath path, Path target) throws StorageException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            // a dangling link inside the root: the upload replaces the link
            return attributes.isSymbolicLink() ? null : attributes;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw IoErrors.map(path, e);
        }
    }

    /** STOR over a file keeps its mode, as vsftpd's truncate-in-place would. */
    private void keepPermissions(Path target, Path temp) throws IOException {
        if (posix) {
            Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS));
        }
    }

    private static void copyPrefix(Path source, FileChannel out, long length) throws IOException {
        // a plain read/write loop: file-to-file transferTo may block a virtual thread's carrier
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (in.size() < length) {
                throw new IOException(source + " shrank below " + length + " bytes while opening the upload");
            }
            ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
            long copied = 0;
            while (copied < length) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), length - copied));
                int read = in.read(buffer, copied);
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

    @Override
    public void createDirectory(StoragePath dir) throws StorageException {
        if (dir.isRoot()) {
            throw new StorageException.AlreadyExists(dir);
        }
        try {
            Files.createDirectory(confinement.entry(dir));
        } catch (IOException e) {
            throw IoErrors.map(dir, e);
        }
    }

    @Override
    public void delete(StoragePath file) throws StorageException {
        if (file.isRoot()) {
            throw new StorageException.IsADirectory(file);
        }
        Path entry = confinement.entry(file);
        try {
            // a link to a directory counts as the directory it shows; a link to a file is removed itself
            if (Files.isDirectory(entry)) {
                throw new StorageException.IsADirectory(file);
            }
            if (!Files.isSymbolicLink(entry)) {
                BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!attributes.isRegularFile()) {
                    throw new StorageException.AccessDenied(file, "not a regular file");
                }
            }
            Files.delete(entry);
        } catch (IOException e) {
            throw IoErrors.map(file, e);
        }
    }

    @Override
    public void deleteDirectory(StoragePath dir) throws StorageException {
        if (dir.isRoot()) {
            throw new StorageException.AccessDenied(dir, "the root cannot be removed");
        }
        Path entry = confinement.entry(dir);
        try {
            BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                throw new StorageException.AccessDenied(dir, "a symbolic link; remove it on the server");
            }
            if (!attributes.isDirectory()) {
                throw new StorageException.NotADirectory(dir);
            }
            Files.delete(entry);
        } catch (IOException e) {
            throw IoErrors.map(dir, e);
        }
    }

    @Override
    public void rename(StoragePath from, StoragePath to) throws StorageException {
        if (from.isRoot()) {
            throw new StorageException.AccessDenied(from, "the root cannot be moved");
        }
        if (to.isRoot()) {
            throw new StorageException.AlreadyExists(to);
        }
        Path source = confinement.entry(from);
        Path destination = confinement.entry(to);
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new StorageException.NotFound(from);
        }
        if (from.equals(to)) {
            return;
        }
        boolean directory = Files.isDirectory(source);
        if (directory && from.contains(to)) {
            throw new StorageException.Failed(to, "Cannot move " + from + " into itself", null);
        }
        if (Files.isDirectory(destination)) {
            throw directory ? new StorageException.AlreadyExists(to) : new StorageException.IsADirectory(to);
        }
        if (directory && Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
            throw new StorageException.AlreadyExists(to);
        }
        try {
            Files.move(source, destination, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            moveAcrossFileSystems(from, to, source, destination, directory);
        } catch (IOException e) {
            throw IoErrors.map(from, e);
        }
    }

    /** The root may hold mount points; a file can be copied across, a directory tree is refused. */
    private static void moveAcrossFileSystems(StoragePath from, StoragePath to, Path source, Path destination,
                                              boolean directory) throws StorageException {
        if (directory) {
            throw new StorageException.Failed(to, "Cannot move directory " + from + " to another file system", null);
        }
        try {
            Files.move(source, destination, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw IoErrors.map(from, e);
        }
    }

    @Override
    public void setModified(StoragePath path, Instant time) throws StorageException {
        Path real = confinement.existing(path);
        try {
            Files.setLastModifiedTime(real, FileTime.from(time));
        } catch (IOException e) {
            throw IoErrors.map(path, e);
        }
    }

    @Override
    public void setPermissions(StoragePath path, int mode) throws StorageException {
        if (!posix) {
            throw new StorageException.Unsupported("set permissions");
        }
        if ((mode & ~0777) != 0) {
            // SITE CHMOD must not hand out setuid, setgid or sticky bits on the server's disk
            throw new StorageException.AccessDenied(path, "only the permission bits 0777 can be set");
        }
        Path real = confinement.existing(path);
        try {
            Files.setPosixFilePermissions(real, Attributes.permissions(mode));
        } catch (IOException e) {
            throw IoErrors.map(path, e);
        }
    }

    /**
     * An absolute path, or one relative to the working directory, that must lie inside the root
     * (after following links, for paths that exist).
     */
    @Override
    public StoragePath configuredPath(String text) throws StorageException {
        Path path;
        try {
            path = Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new StorageException.Failed(StoragePath.ROOT, "'" + text + "' is not a valid path: " + e.getMessage(), e);
        }
        Path real = path;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException missing) {
            // a home directory that is made later; checked lexically
        } catch (IOException e) {
            throw new StorageException.Failed(StoragePath.ROOT, "'" + text + "' cannot be read: " + e, e);
        }
        if (!confinement.inside(real)) {
            throw new StorageException.Failed(StoragePath.ROOT, "'" + text + "' (" + real
                    + ") is outside local_storage_root " + confinement.root()
                    + "; every served directory must lie inside it", null);
        }
        StoragePath result;
        try {
            result = confinement.toStoragePath(real);
        } catch (StoragePath.InvalidPathException e) {
            throw new StorageException.Failed(StoragePath.ROOT, "'" + text + "' holds a name Ferry cannot serve", e);
        }
        for (String segment : result.segments()) {
            if (TempFiles.isReserved(segment)) {
                throw new StorageException.InvalidName(result, "reserved for uploads in progress");
            }
        }
        return result;
    }

    @Override
    public void recover(StoragePath dir) throws StorageException {
        Path real = confinement.existing(dir);
        try {
            recovery.run(real);
        } catch (IOException e) {
            throw IoErrors.map(dir, e);
        }
    }

    @Override
    public void close() {
        // no handles are held between calls; uploads and listings own theirs
    }

    private FileInfo info(StoragePath path, Path real) throws StorageException {
        Optional<FileInfo> info;
        try {
            info = attributes.read(path, real);
        } catch (IOException e) {
            throw IoErrors.map(path, e);
        }
        return info.orElseThrow(() -> new StorageException.AccessDenied(path, "not a regular file or directory"));
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("Closing a channel failed", e);
            }
        }
    }
}
