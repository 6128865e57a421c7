package dev.ferry.storage.local;

import static dev.ferry.storage.local.EntryChecks.existing;
import static dev.ferry.storage.local.EntryChecks.info;

import dev.ferry.storage.Capability;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.NameListing;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory tree on local disk. Every operation opens its {@link Jail} (the storage root, or a
 * view's root found again inside its parent), resolves its paths with a {@link Walk} from that
 * directory's descriptor, and acts through the descriptor of the directory the walk ended in, so
 * links and concurrent renames cannot lead it out of the jail (see Walk for how, and
 * {@link DirectoryCreation} for the one call still made by path). Uploads go through
 * {@link LocalUpload}'s temp-then-rename.
 *
 * <p>The storage itself is the view of local_storage_root; {@link #scoped} views share its open root
 * and everything else, and own nothing.
 *
 * <p>This class opens the walk and hands the resolved entry to the part whose job the operation is:
 * {@link Uploads}, {@link Renames}, {@link DirectoryCreation}, {@link Removals}, {@link Metadata},
 * {@link ConfiguredPaths}, {@link DirectoryListing}, {@link Recovery}; it reads files itself.
 */
final class LocalStorage implements Storage {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStorage.class);
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    private final StorageRoot storageRoot;
    private final Jail jail;
    private final boolean view;
    private final Set<Capability> capabilities;
    private final boolean posix;
    private final Attributes attributes;
    private final TempFiles tempFiles;
    private final Recovery recovery;
    private final Uploads uploads;
    private final Renames renames;
    private final DirectoryCreation directories;

    /** Serves {@code root}, absolute or relative to the working directory; it must be a directory. */
    LocalStorage(Path root) throws StorageException {
        this(root, true);
    }

    /** @param fsync local_upload_fsync: commits force an upload to disk before its rename */
    LocalStorage(Path root, boolean fsync) throws StorageException {
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
        this.posix = supportsPosix(real);
        this.attributes = new Attributes(posix);
        this.storageRoot = StorageRoot.open(real, attributes);
        this.jail = storageRoot;
        this.view = false;
        this.tempFiles = new TempFiles();
        this.recovery = new Recovery(tempFiles, attributes, Instant.now());
        this.uploads = new Uploads(tempFiles, posix, fsync);
        this.renames = new Renames(tempFiles, posix);
        this.directories = new DirectoryCreation(attributes);
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

    /** A view of {@code parent} confined to {@code root}, a path of the parent. */
    private LocalStorage(LocalStorage parent, StoragePath root) {
        this.storageRoot = parent.storageRoot;
        this.jail = new ViewRoot(parent.jail, root);
        this.view = true;
        this.capabilities = parent.capabilities;
        this.posix = parent.posix;
        this.attributes = parent.attributes;
        this.tempFiles = parent.tempFiles;
        this.recovery = parent.recovery;
        this.uploads = parent.uploads;
        this.renames = parent.renames;
        this.directories = parent.directories;
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
    public Storage scoped(StoragePath root) {
        return new LocalStorage(this, root);
    }

    @Override
    public StoragePath canonical(StoragePath path) throws StorageException {
        try (Walk walk = jail.open(path)) {
            return walk.canonical(path, walk.resolve(path, true, false));
        }
    }

    @Override
    public FileInfo stat(StoragePath path) throws StorageException {
        try (Walk walk = jail.open(path)) {
            return info(path, existing(path, walk.resolve(path, true, false)));
        }
    }

    @Override
    public Listing list(StoragePath dir) throws StorageException {
        Walk walk = jail.open(dir);
        try {
            Entry entry = walk.resolve(dir, true, false);
            if (!existing(dir, entry).isDirectory()) {
                throw new StorageException.NotADirectory(dir);
            }
            return new DirectoryListing(dir, walk, walk.enter(dir, entry), attributes);
        } catch (StorageException | RuntimeException e) {
            walk.close();
            throw e;
        }
    }

    /** One readdir, no stat per entry: see {@link DirectoryNames} for what it names. */
    @Override
    public NameListing names(StoragePath dir) throws StorageException {
        Walk walk = jail.open(dir);
        try {
            Entry entry = walk.resolve(dir, true, false);
            if (!existing(dir, entry).isDirectory()) {
                throw new StorageException.NotADirectory(dir);
            }
            return new DirectoryNames(dir, walk, walk.enter(dir, entry));
        } catch (StorageException | RuntimeException e) {
            walk.close();
            throw e;
        }
    }

    /** On Linux and macOS the channel is a FileChannel, opened through the file's directory without following a link. */
    @Override
    public ReadableByteChannel openRead(StoragePath path, long offset) throws StorageException {
        return openRead(path, offset, info -> true).orElseThrow();
    }

    /** One walk for both: the look-up that finds the file's attributes is the one that opens it. */
    @Override
    public Optional<ReadableByteChannel> openRead(StoragePath path, long offset, Predicate<FileInfo> proceed)
            throws StorageException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        try (Walk walk = jail.open(path)) {
            Entry entry = walk.resolve(path, true, false);
            FileInfo info = info(path, existing(path, entry));
            if (!proceed.test(info)) {
                return Optional.empty();
            }
            if (info.isDirectory()) {
                throw new StorageException.IsADirectory(path);
            }
            SeekableByteChannel channel = null;
            try {
                channel = entry.dir().stream().newByteChannel(entry.name(), READ);
                return Optional.of(channel.position(offset));
            } catch (IOException e) {
                closeQuietly(channel);
                throw IoErrors.map(path, e);
            }
        }
    }

    @Override
    public Upload openWrite(StoragePath path, WriteMode mode) throws StorageException {
        return openWrite(path, mode, OptionalInt.empty());
    }

    @Override
    public Upload openWrite(StoragePath path, WriteMode mode, OptionalInt permissions) throws StorageException {
        try (Walk walk = jail.open(path)) {
            return uploads.open(walk, path, mode, permissions);
        }
    }

    @Override
    public void createDirectory(StoragePath dir) throws StorageException {
        try (Walk walk = jail.open(dir)) {
            directories.create(walk, dir);
        }
    }

    @Override
    public void delete(StoragePath file) throws StorageException {
        if (file.isRoot()) {
            throw new StorageException.IsADirectory(file);
        }
        try (Walk walk = jail.open(file)) {
            Removals.delete(walk, file);
        }
    }

    @Override
    public void deleteDirectory(StoragePath dir) throws StorageException {
        if (dir.isRoot()) {
            throw new StorageException.AccessDenied(dir, "the root cannot be removed");
        }
        try (Walk walk = jail.open(dir)) {
            Removals.deleteDirectory(walk, dir);
        }
    }

    @Override
    public void rename(StoragePath from, StoragePath to) throws StorageException {
        try (Walk walk = jail.open(from)) {
            renames.rename(walk, from, to);
        }
    }

    @Override
    public void setModified(StoragePath path, Instant time) throws StorageException {
        try (Walk walk = jail.open(path)) {
            Metadata.setModified(walk, path, time);
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
        try (Walk walk = jail.open(path)) {
            Metadata.setPermissions(walk, path, mode);
        }
    }

    /**
     * An absolute path, or one relative to the working directory, that must lie inside the root
     * (after following links, for paths that exist).
     */
    @Override
    public StoragePath configuredPath(String text) throws StorageException {
        return ConfiguredPaths.resolve(text, rootPath());
    }

    /** The real path of this storage's root: local_storage_root, or where a view's root is now. */
    private Path rootPath() throws StorageException {
        if (!view) {
            return storageRoot.real();
        }
        try (Walk walk = jail.open(StoragePath.ROOT)) {
            return walk.real();
        }
    }

    @Override
    public void recover(StoragePath dir) throws StorageException {
        try (Walk walk = jail.open(dir)) {
            Entry entry = walk.resolve(dir, true, false);
            if (!existing(dir, entry).isDirectory()) {
                throw new StorageException.NotADirectory(dir);
            }
            try (Dir opened = walk.enter(dir, entry)) {
                recovery.run(opened);
            }
        }
    }

    /** The storage closes its root; a view owns nothing (uploads and listings own what they opened). */
    @Override
    public void close() {
        if (!view) {
            storageRoot.close();
        }
    }

    private static void closeQuietly(SeekableByteChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("Closing a channel failed", e);
            }
        }
    }
}
