package dev.ferry.storage.vfs;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import org.apache.commons.vfs2.CacheStrategy;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;
import org.apache.commons.vfs2.FileSystemOptions;
import org.apache.commons.vfs2.cache.DefaultFilesCache;
import org.apache.commons.vfs2.cache.NullFilesCache;
import org.apache.commons.vfs2.impl.StandardFileSystemManager;
import org.apache.commons.vfs2.provider.local.LocalFileSystem;
import org.apache.commons.vfs2.provider.sftp.SftpFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One opened vfs_root: the manager, its connections, caches and locks, shared by the storage and
 * every view {@link VfsStorage#scoped} makes of it. Caches and locks are keyed by canonical base
 * paths, which mean the same in every view.
 *
 * @param connections the root's connections (SFTP: up to vfs_sftp_connections SSH sessions; others: one)
 */
record Mount(StandardFileSystemManager manager, String description, VfsPaths paths, Capabilities capabilities,
             Entries entries, MetadataCache cache, PathLocks locks, TempNames tempNames, Recovery recovery,
             Links links, Connections connections, Leftovers leftovers) {

    private static final Logger LOG = LoggerFactory.getLogger(Mount.class);
    /** Schemes whose file systems list their entries once, at open, into the files cache. */
    private static final Set<String> ARCHIVES = Set.of("zip", "jar", "tar", "tgz", "tbz2", "gz", "bz2", "war", "ear");

    /** Opens the root URI; a root that is missing, not a directory or unreachable fails the start. */
    static Mount open(VfsConfig config) throws StorageException {
        String description = Uris.redact(config.root());
        String scheme = Uris.scheme(config.root());
        StandardFileSystemManager manager = new StandardFileSystemManager();
        VfsPaths paths;
        Capabilities capabilities;
        Connections connections;
        Links links;
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
        Entries entries = new Entries(capabilities.hasTimes(), openedAt);
        MetadataCache cache = new MetadataCache(config.cacheTtl(), config.cacheSize());
        TempNames tempNames = new TempNames();
        Recovery recovery = new Recovery(tempNames, openedAt);
        LOG.info("VFS storage serves {} ({}; capabilities {})", description,
                capabilities.writable() ? capabilities.renamable() ? "uploads are temp-then-move" : "uploads write in place"
                        : "read-only", capabilities.offered());
        return new Mount(manager, description, paths, capabilities, entries, cache, new PathLocks(), tempNames,
                recovery, links, connections, new Leftovers());
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
}
