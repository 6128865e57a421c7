package dev.ferry.storage.vfs;

import dev.ferry.storage.Capability;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import org.apache.commons.vfs2.FileObject;

/** RNFR/RNTO between canonical paths, under both paths' locks. */
final class VfsRenames {

    private final Mount mount;

    VfsRenames(Mount mount) {
        this.mount = mount;
    }

    /** Moves {@code realFrom} (the client's {@code from}) to {@code realTo} (the client's {@code to}). */
    void rename(StoragePath from, StoragePath to, StoragePath realFrom, StoragePath realTo) throws StorageException {
        try (PathLocks.Held held = mount.locks().lock(realFrom, realTo)) {
            mount.connections().brief(from, lease -> {
                FileObject source = mount.paths().resolve(realFrom, lease.root);
                boolean directory = mount.entries().read(from, source).isDirectory();
                if (realFrom.equals(realTo)) {
                    return null;
                }
                if (directory && !mount.capabilities().has(Capability.RENAME_DIRECTORY)) {
                    throw new StorageException.Unsupported("rename a directory");
                }
                if (directory && realFrom.contains(realTo)) {
                    throw new StorageException.Failed(to, "Cannot move " + from + " into itself", null);
                }
                mount.entries().folder(realTo.parent(), mount.paths().resolve(realTo.parent(), lease.root));
                FileObject destination = mount.paths().resolve(realTo, lease.root);
                FileInfo target = mount.entries().existing(realTo, destination);
                if (target != null && target.isDirectory()) {
                    throw directory ? new StorageException.AlreadyExists(to) : new StorageException.IsADirectory(to);
                }
                if (target != null && directory) {
                    throw new StorageException.AlreadyExists(to);
                }
                VfsFiles.move(source, destination, target != null);
                return null;
            });
        } finally {
            mount.cache().changedTree(realFrom);
            mount.cache().changedTree(realTo);
        }
    }
}
