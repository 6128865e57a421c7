package dev.ferry.storage.vfs;

import java.time.Instant;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;
import org.apache.commons.vfs2.FileType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes upload temp files left by a crash. The server runs it in the background while uploads are
 * already accepted, so it spares this process's uploads in progress and any temp file modified since
 * the storage was opened (another Ferry on the same SFTP tree may be writing it). Symbolic links are
 * skipped where VFS reports them (local disk); over SFTP a listed link is typed by its own attributes,
 * so it is never a folder to descend into.
 */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final TempNames tempNames;
    private final Instant openedAt;

    Recovery(TempNames tempNames, Instant openedAt) {
        this.tempNames = tempNames;
        this.openedAt = openedAt;
    }

    /** Returns how many leftovers were deleted below {@code dir}. */
    int run(FileObject dir) {
        int deleted = 0;
        FileObject[] children;
        try {
            children = dir.getChildren();
        } catch (FileSystemException e) {
            LOG.debug("Recovery skips {}: {}", dir.getName().getFriendlyURI(), VfsErrors.safe(e));
            return 0;
        }
        for (FileObject child : children) {
            try {
                // a link may lead anywhere, even out of the storage: never followed, never deleted
                if (child.isSymbolicLink()) {
                    continue;
                }
                FileType type = child.getType();
                if (type == FileType.FOLDER) {
                    deleted += run(child);
                } else if (type == FileType.FILE && isLeftover(child)) {
                    if (child.delete()) {
                        deleted++;
                    }
                }
            } catch (FileSystemException e) {
                LOG.warn("Could not check or delete {}: {}", child.getName().getFriendlyURI(), VfsErrors.safe(e));
            }
        }
        return deleted;
    }

    private boolean isLeftover(FileObject file) throws FileSystemException {
        String name = VfsPaths.baseName(file);
        return TempNames.isTempName(name)
                && !tempNames.isActive(file.getName().getPath())
                && file.getContent().getLastModifiedTime() < openedAt.toEpochMilli();
    }
}
