package dev.ferry.storage.vfs;

import dev.ferry.storage.Capability;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.nio.channels.ReadableByteChannel;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;
import org.apache.commons.vfs2.FileType;
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
 * <p>This class holds the jail and puts the parts together: {@link Mount} (the opened root, shared by
 * every view), {@link VfsListing}, {@link VfsReads}, {@link VfsWrites}, {@link VfsRenames}; it does the
 * small directory operations itself.
 *
 * <p>What remains (VFS opens by path): between the walk and VFS's use of the path, someone with access to
 * the backend itself can replace a directory on it by a link, which VFS (or the SFTP server) then
 * follows. A view's root is resolved once, at first use, and the names above it are not checked again.
 */
final class VfsStorage implements Storage {

    private static final Logger LOG = LoggerFactory.getLogger(VfsStorage.class);

    private final Mount mount;
    private final VfsPaths paths;
    private final Capabilities capabilities;
    private final Entries entries;
    private final MetadataCache cache;
    private final PathLocks locks;
    private final Connections connections;
    private final Leftovers leftovers;
    private final Jail jail;
    private final VfsReads reads;
    private final VfsWrites writes;
    private final VfsRenames renames;
    /** The storage owns the mount; its views close nothing. */
    private final boolean owner;

    VfsStorage(VfsConfig config) throws StorageException {
        this(Mount.open(config), null, true);
    }

    /** A view of {@code mount} confined to {@code jail} (null: the whole of vfs_root). */
    private VfsStorage(Mount mount, Jail jail, boolean owner) {
        this.mount = mount;
        this.paths = mount.paths();
        this.capabilities = mount.capabilities();
        this.entries = mount.entries();
        this.cache = mount.cache();
        this.locks = mount.locks();
        this.connections = mount.connections();
        this.leftovers = mount.leftovers();
        this.jail = jail == null ? Jail.whole(mount.links()) : jail;
        this.reads = new VfsReads(capabilities, entries);
        this.writes = new VfsWrites(mount);
        this.renames = new VfsRenames(mount);
        this.owner = owner;
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
            return mount.links().children(real, folder, entries);
        });
        leftovers.retry();
        return new VfsListing(dir, real, children,
                (parent, name, shown) -> info(jail.follow(parent, name, shown)), cache);
    }

    @Override
    public ReadableByteChannel openRead(StoragePath path, long offset) throws StorageException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        paths.check(path);
        StoragePath real = jail.locate(path);
        ReadableByteChannel reader = connections.hold(path, lease -> reads.open(path, paths.resolve(real, lease.root), offset, lease));
        leftovers.retry();
        return reader;
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
        Upload upload = writes.open(path, real, mode, recheck);
        leftovers.retry();
        return upload;
    }

    /** The folder at {@code dir}: NotFound when missing, NotADirectory when a file. */
    private FileObject existingFolder(StoragePath dir) throws StorageException {
        return entries.folder(dir, paths.resolve(dir));
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
                if (entries.existing(real, folder) != null) {
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
        renames.rename(from, to, realFrom, realTo);
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
                VfsFiles.refresh(file);
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
        int deleted = mount.recovery().run(folder);
        if (deleted > 0) {
            LOG.info("Deleted {} leftover upload temp file(s) below {}", deleted, dir);
        }
    }

    @Override
    public Storage scoped(StoragePath root) {
        return new VfsStorage(mount, jail.inner(root), false);
    }

    @Override
    public StoragePath canonical(StoragePath path) throws StorageException {
        paths.check(path);
        return jail.toView(jail.locate(path));
    }

    @Override
    public void close() {
        if (owner) {
            mount.manager().close();
        }
    }

    private void requireWritable(StoragePath path) throws StorageException {
        paths.check(path);
        if (!capabilities.writable()) {
            throw new StorageException.AccessDenied(path, "read-only storage");
        }
    }

    /** The opened root this view shares; tests count its connections and leftovers through it. */
    Mount mount() {
        return mount;
    }

    @Override
    public String toString() {
        return "VfsStorage[" + mount.description() + "]";
    }
}
