package dev.ferry.storage.vfs;

import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Small operations on file objects that the storage's parts share. */
final class VfsFiles {

    private static final Logger LOG = LoggerFactory.getLogger(VfsFiles.class);
    /** The buffer size of the streams Ferry opens on file objects. */
    static final int BUFFER = 64 * 1024;

    private VfsFiles() {
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

    /**
     * Deletes a file quietly: used on paths that already failed, where a second error is only logged.
     * Returns false when the delete failed (the file may still be there).
     */
    static boolean deleteQuietly(FileObject file, String what) {
        try {
            file.delete();
            return true;
        } catch (FileSystemException e) {
            LOG.warn("Could not delete {} {}: {}", what, Uris.redact(file.getName().getFriendlyURI()), VfsErrors.safe(e));
            return false;
        }
    }
}
