package dev.ferry.storage.vfs;

import dev.ferry.storage.Capability;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.ReadableByteChannel;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.commons.vfs2.CacheStrategy;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;
import org.apache.commons.vfs2.FileSystemOptions;
import org.apache.commons.vfs2.FileType;
import org.apache.commons.vfs2.RandomAccessContent;
import org.apache.commons.vfs2.cache.DefaultFilesCache;
import org.apache.commons.vfs2.cache.NullFilesCache;
import org.apache.commons.vfs2.impl.StandardFileSystemManager;
import org.apache.commons.vfs2.provider.local.LocalFileSystem;
import org.apache.commons.vfs2.provider.sftp.SftpFileSystem;
import org.apache.commons.vfs2.util.RandomAccessMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tree served through Apache Commons VFS: whatever its root URI names (SFTP, an archive, ram, a
 * local directory, WebDAV, FTP). One {@link StandardFileSystemManager} per storage is shared by every
 * session; it keeps one connection (an SFTP session, an FTP control connection) per file system and
 * opens further channels as sessions need them. For SFTP the storage opens up to vfs_sftp_connections
 * file systems of the same root, because SSH servers cap the channels of one connection; operations
 * spread over them ({@link Connections}).
 *
 * <p>Freshness: file objects are not shared or kept (see the constructor), so every operation asks the
 * provider; the {@link MetadataCache} on top answers repeated stats for a short TTL and forgets what
 * Ferry itself changes at once.
 *
 * <p>The jail: every operation first turns its path into a canonical base path with its {@link Jail}
 * (each link on the way resolved by Ferry, see {@link LinkWalk}), and only that path, which has no link
 * in it, is given to VFS; a link that leads out of the root makes the path NotFound. A link inside the
 * root works as its target for every operation, so DELE or RNFR on a link act on the file it points to,
 * the path the server checked its access rules on ({@link #canonical}). The storage itself is the jail
 * of vfs_root; {@link #scoped} views share everything else (manager, caches, locks, connections), and
 * caches and locks are keyed by canonical base paths, which mean the same in every view.
 *
 * <p>What remains (VFS opens by path): between the walk and VFS's use of the path, someone with access to
 * the backend itself can replace a directory on it by a link, which VFS (or the SFTP server) then
 * follows. A view's root is resolved once, at first use, and the names above it are not checked again.
 */
final class VfsStorage implements Storage {

    private static final Logger LOG = LoggerFactory.getLogger(VfsStorage.class);
    private static final int WRITE_BUFFER = 64 * 1024;
    /** Schemes whose file systems list their entries once, at open, into the files cache. */
    private static final Set<String> ARCHIVES = Set.of("zip", "jar", "tar", "tgz", "tbz2", "gz", "bz2", "war", "ear");

    private final StandardFileSystemManager manager;
    private final String description;
    private final VfsPaths paths;
    private final Capabilities capabilities;
    private final Entries entries;
    private final MetadataCache cache;
    private final PathLocks locks;
    private final TempNames tempNames;
    private final Recovery recovery;
    private final Links links;
    private final Jail jail;
    /** The root's connections (SFTP: up to vfs_sftp_connections SSH sessions; others: one). */
    private final Connections connections;
    private final Leftovers leftovers;
    /** The storage owns the manager; its views close nothing. */
    private final boolean owner;

    VfsStorage(VfsConfig config) throws StorageException {
        description = Uris.redact(config.root());
        String scheme = Uris.scheme(config.root());
        manager = new StandardFileSystemManager();
        try {
            // Each resolve gets its own file object (NullFilesCache): VFS file objects lock themselves
            // and their file system in opposite orders (SftpFileObject.getPermissions holds the object
            // and waits for the file system in putChannel; a resolve holds the file system and waits
            // for the object in doDetach), so two sessions sharing cached objects deadlock. Unshared
            // objects also carry no stale attributes; MetadataCache is the only cache.
            // Archive providers are the exception: they put every entry into the files cache when
            // they open the archive and find entries only there, so they keep all (they are bounded,
            // read-only, and never refreshed).
            manager.setFilesCache(ARCHIVES.contains(scheme) ? new DefaultFilesCache() : new NullFilesCache());
            manager.setCacheStrategy(CacheStrategy.MANUAL);
            manager.init();
            FileSystemOptions options = ProviderOptions.from(config);
            FileObject root = manager.resolveFile(config.root(), options);
            if (!root.exists()) {
                throw new StorageException.Failed(StoragePath.ROOT, "vfs_root " + description + " does not exist", null);
            }
            if (!root.isFolder()) {
                throw new StorageException.Failed(StoragePath.ROOT, "vfs_root " + description
                        + " is not a directory (an archive needs its path inside, e.g. zip:/srv/a.zip!/)", null);
            }
            paths = new VfsPaths(root, scheme.equals("sftp"));
            capabilities = Capabilities.of(root.getFileSystem(), scheme);
            connections = new Connections(root, scheme.equals("sftp") ? config.sftpConnections() : 1,
                    slot -> manager.resolveFile(config.root(), SlotOption.mark(ProviderOptions.from(config), slot)),
                    config.connectTimeout());
            links = links(root, connections);
            // the root object stays with VfsPaths only for its name and file system
        } catch (FileSystemException e) {
            manager.close();
            throw new StorageException.Failed(StoragePath.ROOT, "vfs_root " + description + " cannot be opened: "
                    + rootCause(e), e);
        } catch (IOException e) {
            manager.close();
            throw new StorageException.Failed(StoragePath.ROOT, "vfs_root " + description
                    + " cannot be resolved on disk: " + rootCause(e), e);
        } catch (StorageException | RuntimeException e) {
            manager.close();
            throw e;
        }
        Instant openedAt = Instant.now();
        entries = new Entries(capabilities.hasTimes(), openedAt);
        cache = new MetadataCache(config.cacheTtl(), config.cacheSize());
        tempNames = new TempNames();
        recovery = new Recovery(tempNames, openedAt);
        locks = new PathLocks();
        leftovers = new Leftovers();
        jail = Jail.whole(links);
        owner = true;
        LOG.info("VFS storage serves {} ({}; capabilities {})", description,
                capabilities.writable() ? capabilities.renamable() ? "uploads are temp-then-move" : "uploads write in place"
                        : "read-only", capabilities.offered());
    }

    /** A view of {@code base} confined to {@code jail}, sharing all else. */
    private VfsStorage(VfsStorage base, Jail jail) {
        manager = base.manager;
        description = base.description;
        paths = base.paths;
        capabilities = base.capabilities;
        entries = base.entries;
        cache = base.cache;
        locks = base.locks;
        tempNames = base.tempNames;
        recovery = base.recovery;
        links = base.links;
        connections = base.connections;
        leftovers = base.leftovers;
        this.jail = jail;
        owner = false;
    }

    /**
     * Who resolves links: local disk and SFTP have them; every other provider is taken as link-free
     * (ram and archives have none; WebDAV and FTP servers follow theirs out of Ferry's sight).
     */
    private static Links links(FileObject root, Connections connections) throws IOException, StorageException {
        return switch (root.getFileSystem()) {
            case LocalFileSystem local -> new LocalLinks(root.getPath());
            case SftpFileSystem sftp -> SftpLinks.open(root, connections);
            default -> NoLinks.INSTANCE;
        };
    }

    /** The innermost message: VFS's own ("Could not connect to SFTP server") hides the reason. */
    private static String rootCause(Throwable e) {
        StringBuilder text = new StringBuilder(VfsErrors.safe(e));
        Throwable last = e;
        for (Throwable t = e.getCause(); t != null && t != last; t = t.getCause()) {
            text.append(": ").append(VfsErrors.safe(t));
            last = t;
        }
        return text.toString();
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities.offered();
    }

    @Override
    public FileInfo stat(StoragePath path) throws StorageException {
        paths.check(path);
        return Entries.at(info(jail.locate(path)), path);
    }

    /** The entry at a canonical base path, from the cache or the provider. */
    private FileInfo info(StoragePath real) throws StorageException {
        FileInfo cached = cache.get(real);
        if (cached != null) {
            return cached;
        }
        FileInfo info = connections.brief(real, lease -> entries.read(real, paths.resolve(real, lease.root)));
        cache.put(info);
        leftovers.retry();
        return info;
    }

    @Override
    public Listing list(StoragePath dir) throws StorageException {
        paths.check(dir);
        StoragePath real = jail.locate(dir);
        List<Links.Child> children = connections.brief(real, lease -> {
            FileObject folder = paths.resolve(real, lease.root);
            try {
                FileType type = folder.getType();
                if (type == FileType.IMAGINARY) {
                    throw new StorageException.NotFound(dir);
                }
                if (!type.hasChildren()) {
                    throw new StorageException.NotADirectory(dir);
                }
            } catch (FileSystemException e) {
                throw VfsErrors.map(dir, e);
            }
            return links.children(real, folder, entries);
        });
        leftovers.retry();
        return new VfsListing(dir, real, children,
                (parent, name, shown) -> info(jail.follow(parent, name, shown)), cache);
    }

    /**
     * With RANDOM_ACCESS_READ the provider starts at the offset (SFTP reads from there, local disk
     * seeks); otherwise the skipped bytes are read and dropped.
     */
    @Override
    public ReadableByteChannel openRead(StoragePath path, long offset) throws StorageException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        paths.check(path);
        StoragePath real = jail.locate(path);
        ReadableByteChannel reader = connections.hold(path, lease -> open(path, paths.resolve(real, lease.root), offset, lease));
        leftovers.retry();
        return reader;
    }

    /** Opens the bytes over {@code lease}'s connection, which the reader frees when closed. */
    private ReadableByteChannel open(StoragePath path, FileObject file, long offset, Connections.Lease lease)
            throws StorageException {
        FileInfo info = entries.read(path, file);
        if (info.isDirectory()) {
            throw new StorageException.IsADirectory(path);
        }
        long remaining = Math.max(0, info.size() - offset);
        if (remaining == 0) {
            lease.release();
            return new ContentReader(InputStream.nullInputStream(), null, 0);
        }
        RandomAccessContent random = null;
        try {
            if (capabilities.has(Capability.RANDOM_READ) && offset > 0) {
                random = file.getContent().getRandomAccessContent(RandomAccessMode.READ);
                random.seek(offset);
                RandomAccessContent content = random;
                return new ContentReader(random.getInputStream(), () -> {
                    try {
                        content.close();
                    } finally {
                        lease.release();
                    }
                }, remaining);
            }
            InputStream in = file.getContent().getInputStream(WRITE_BUFFER);
            try {
                in.skipNBytes(offset);
            } catch (IOException e) {
                in.close();
                throw e;
            }
            return new ContentReader(in, lease::release, remaining);
        } catch (IOException e) {
            closeQuietly(random);
            throw VfsErrors.map(path, e);
        }
    }

    @Override
    public Upload openWrite(StoragePath path, WriteMode mode) throws StorageException {
        requireWritable(path);
        if (path.isRoot()) {
            throw new StorageException.IsADirectory(path);
        }
        boolean needsRename = !(mode instanceof WriteMode.Replace);
        if (needsRename && !capabilities.renamable()) {
            throw new StorageException.Unsupported(switch (mode) {
                case WriteMode.Append a -> "append";
                case WriteMode.ResumeAt r -> "resume an upload";
                default -> "exclusive create";
            });
        }
        StoragePath real = jail.locate(path);
        if (real.equals(jail.root())) {
            throw new StorageException.IsADirectory(path);
        }
        TempUploads.Recheck recheck = () -> {
            if (!jail.locate(path).equals(real)) {
                throw new StorageException.AccessDenied(path, "a link on the way changed during the upload");
            }
        };
        // the upload keeps its connection until it commits or aborts
        Upload upload = connections.hold(path, lease -> {
            FileObject target = paths.resolve(real, lease.root);
            FileObject parent = existingFolder(real.parent(), lease.root);
            FileInfo existing = existing(real, target);
            if (existing != null && existing.isDirectory()) {
                throw new StorageException.IsADirectory(path);
            }
            long keep = mode.bytesToKeep(path,
                    existing == null ? OptionalLong.empty() : OptionalLong.of(existing.size()));
            return capabilities.renamable()
                    ? new TempUploads(this, real, parent, mode instanceof WriteMode.CreateNew, recheck, lease)
                            .open(target, keep)
                    : inPlace(real, target, lease);
        });
        leftovers.retry();
        return upload;
    }

    /**
     * Without rename the bytes go straight to the target: a reader can see a partial file, and a
     * failed upload is deleted rather than rolled back (README: what is atomic where).
     */
    private Upload inPlace(StoragePath path, FileObject target, Connections.Lease lease) throws StorageException {
        try {
            OutputStream out = target.getContent().getOutputStream(false, WRITE_BUFFER);
            return new VfsUpload(path, out, 0, () -> {
                refresh(target);
                cache.changed(path);
                lease.release();
            }, () -> {
                VfsUpload.deleteQuietly(target, "the partial upload");
                cache.changed(path);
                lease.release();
            });
        } catch (FileSystemException e) {
            throw VfsErrors.map(path, e);
        }
    }

    /** The file at {@code path}, or null when there is none. */
    private FileInfo existing(StoragePath path, FileObject file) throws StorageException {
        try {
            return entries.read(path, file);
        } catch (StorageException.NotFound e) {
            return null;
        }
    }

    /** The folder at {@code dir}: NotFound when missing, NotADirectory when a file. */
    FileObject existingFolder(StoragePath dir) throws StorageException {
        return folder(dir, paths.resolve(dir));
    }

    /** As {@link #existingFolder(StoragePath)}, over the connection of {@code onRoot}. */
    private FileObject existingFolder(StoragePath dir, FileObject onRoot) throws StorageException {
        return folder(dir, paths.resolve(dir, onRoot));
    }

    private FileObject folder(StoragePath dir, FileObject folder) throws StorageException {
        FileInfo info = existing(dir, folder);
        if (info == null) {
            throw new StorageException.NotFound(dir);
        }
        if (!info.isDirectory()) {
            throw new StorageException.NotADirectory(dir);
        }
        return folder;
    }

    @Override
    public void createDirectory(StoragePath dir) throws StorageException {
        requireWritable(dir);
        if (dir.isRoot()) {
            throw new StorageException.AlreadyExists(dir);
        }
        StoragePath real = jail.locate(dir);
        existingFolder(real.parent());
        try (PathLocks.Held held = locks.lock(real)) {
            connections.brief(dir, lease -> {
                FileObject folder = paths.resolve(real, lease.root);
                if (existing(real, folder) != null) {
                    throw new StorageException.AlreadyExists(dir);
                }
                folder.createFolder();
                return null;
            });
        } finally {
            cache.changed(real);
        }
    }

    @Override
    public void delete(StoragePath file) throws StorageException {
        requireWritable(file);
        if (file.isRoot()) {
            throw new StorageException.IsADirectory(file);
        }
        StoragePath real = jail.locate(file);
        try (PathLocks.Held held = locks.lock(real)) {
            connections.brief(file, lease -> {
                FileObject object = paths.resolve(real, lease.root);
                FileInfo info = entries.read(file, object);
                if (info.isDirectory()) {
                    throw new StorageException.IsADirectory(file);
                }
                if (!object.delete()) {
                    throw new StorageException.NotFound(file);
                }
                return null;
            });
        } finally {
            cache.changed(real);
        }
    }

    @Override
    public void deleteDirectory(StoragePath dir) throws StorageException {
        requireWritable(dir);
        if (dir.isRoot()) {
            throw new StorageException.AccessDenied(dir, "the root cannot be removed");
        }
        StoragePath real = jail.locate(dir);
        if (real.equals(jail.root())) {
            throw new StorageException.AccessDenied(dir, "the root cannot be removed");
        }
        try (PathLocks.Held held = locks.lock(real)) {
            connections.brief(dir, lease -> {
                FileObject folder = paths.resolve(real, lease.root);
                if (!entries.read(dir, folder).isDirectory()) {
                    throw new StorageException.NotADirectory(dir);
                }
                // FileObject.delete() silently skips a folder with children; an upload in progress
                // (a hidden temp file) also keeps the folder, as on local disk
                if (folder.getChildren().length > 0) {
                    throw new StorageException.DirectoryNotEmpty(dir);
                }
                if (!folder.delete()) {
                    throw new StorageException.Failed(dir, "Could not remove " + dir, null);
                }
                return null;
            });
        } finally {
            cache.changedTree(real);
        }
    }

    @Override
    public void rename(StoragePath from, StoragePath to) throws StorageException {
        paths.check(from);
        paths.check(to);
        if (!capabilities.has(Capability.RENAME)) {
            throw new StorageException.Unsupported("rename");
        }
        if (from.isRoot()) {
            throw new StorageException.AccessDenied(from, "the root cannot be moved");
        }
        if (to.isRoot()) {
            throw new StorageException.AlreadyExists(to);
        }
        StoragePath realFrom = jail.locate(from);
        StoragePath realTo = jail.locate(to);
        if (realFrom.equals(jail.root())) {
            throw new StorageException.AccessDenied(from, "the root cannot be moved");
        }
        if (realTo.equals(jail.root())) {
            throw new StorageException.AlreadyExists(to);
        }
        try (PathLocks.Held held = locks.lock(realFrom, realTo)) {
            connections.brief(from, lease -> {
                FileObject source = paths.resolve(realFrom, lease.root);
                boolean directory = entries.read(from, source).isDirectory();
                if (realFrom.equals(realTo)) {
                    return null;
                }
                if (directory && !capabilities.has(Capability.RENAME_DIRECTORY)) {
                    throw new StorageException.Unsupported("rename a directory");
                }
                if (directory && realFrom.contains(realTo)) {
                    throw new StorageException.Failed(to, "Cannot move " + from + " into itself", null);
                }
                existingFolder(realTo.parent(), lease.root);
                FileObject destination = paths.resolve(realTo, lease.root);
                FileInfo target = existing(realTo, destination);
                if (target != null && target.isDirectory()) {
                    throw directory ? new StorageException.AlreadyExists(to) : new StorageException.IsADirectory(to);
                }
                if (target != null && directory) {
                    throw new StorageException.AlreadyExists(to);
                }
                move(source, destination, target != null);
                return null;
            });
        } finally {
            cache.changedTree(realFrom);
            cache.changedTree(realTo);
        }
    }

    @Override
    public void setModified(StoragePath path, Instant time) throws StorageException {
        paths.check(path);
        if (!capabilities.has(Capability.SET_MODIFIED)) {
            throw new StorageException.Unsupported("set the modification time");
        }
        StoragePath real = jail.locate(path);
        try (PathLocks.Held held = locks.lock(real)) {
            connections.brief(path, lease -> {
                FileObject file = paths.resolve(real, lease.root);
                entries.read(path, file);
                file.getContent().setLastModifiedTime(time.toEpochMilli());
                refresh(file);
                return null;
            });
        } finally {
            cache.changed(real);
        }
    }

    @Override
    public void recover(StoragePath dir) throws StorageException {
        if (!capabilities.writable()) {
            return;
        }
        paths.check(dir);
        FileObject folder = paths.resolve(jail.locate(dir));
        int deleted = recovery.run(folder);
        if (deleted > 0) {
            LOG.info("Deleted {} leftover upload temp file(s) below {}", deleted, dir);
        }
    }

    @Override
    public Storage scoped(StoragePath root) {
        return new VfsStorage(this, jail.inner(root));
    }

    @Override
    public StoragePath canonical(StoragePath path) throws StorageException {
        paths.check(path);
        return jail.toView(jail.locate(path));
    }

    @Override
    public void close() {
        if (owner) {
            manager.close();
        }
    }

    // ---- for TempUploads ----

    PathLocks locks() {
        return locks;
    }

    TempNames tempNames() {
        return tempNames;
    }

    MetadataCache cache() {
        return cache;
    }

    Entries entries() {
        return entries;
    }

    VfsPaths paths() {
        return paths;
    }

    Leftovers leftovers() {
        return leftovers;
    }

    Connections connections() {
        return connections;
    }

    static int writeBuffer() {
        return WRITE_BUFFER;
    }

    /**
     * Moves {@code source} onto {@code destination}, replacing a file there. {@code FileObject.moveTo}
     * would delete an existing target itself, but then renames onto the stale object it deleted
     * through, which the ram provider refuses ("The data has no name"); deleting first and refreshing
     * the destination gives every provider a fresh object. Either way the name is missing for a moment
     * between the delete and the rename: no provider offers an atomic replace through VFS.
     */
    static void move(FileObject source, FileObject destination, boolean replace) throws FileSystemException {
        if (replace) {
            destination.delete();
            refresh(destination);
        }
        source.moveTo(destination);
        refresh(destination);
    }

    /** Drops what VFS remembers about {@code file}, so the next read asks the provider. */
    static void refresh(FileObject file) {
        try {
            file.refresh();
        } catch (FileSystemException e) {
            LOG.debug("Refreshing {} failed: {}", file.getName().getFriendlyURI(), VfsErrors.safe(e));
        }
    }

    private void requireWritable(StoragePath path) throws StorageException {
        paths.check(path);
        if (!capabilities.writable()) {
            throw new StorageException.AccessDenied(path, "read-only storage");
        }
    }

    private static void closeQuietly(RandomAccessContent random) {
        if (random != null) {
            try {
                random.close();
            } catch (IOException e) {
                LOG.debug("Closing random access content failed: {}", VfsErrors.safe(e));
            }
        }
    }

    @Override
    public String toString() {
        return "VfsStorage[" + description + "]";
    }
}
