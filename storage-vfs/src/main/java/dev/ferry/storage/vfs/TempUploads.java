package dev.ferry.storage.vfs;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;

/**
 * Starts a temp-then-move upload: a hidden sibling of the target receives the bytes, and commit moves
 * it onto the target under the target's path lock, so the name shows the old file or the complete new
 * one, never a truncated file. Append and ResumeAt copy the bytes they keep into the temp file first:
 * a failed APPE or REST+STOR leaves the file as it was, at the price of reading the kept part once
 * (for SFTP, over the network).
 *
 * <p>{@code path} is canonical (links resolved when the upload was opened). An upload can last long, so
 * commit resolves the client's path again ({@link Recheck}) and publishes only where it still leads.
 */
final class TempUploads {

    /** Fails when the client's path no longer leads to the canonical path the upload was opened for. */
    interface Recheck {
        void run() throws StorageException;
    }

    private final Mount mount;
    private final StoragePath path;
    private final FileObject parent;
    private final boolean exclusive;
    private final Recheck recheck;
    /** The connection the temp file is written over; publish renames on the same one. */
    private final Connections.Lease lease;

    TempUploads(Mount mount, StoragePath path, FileObject parent, boolean exclusive, Recheck recheck,
                Connections.Lease lease) {
        this.mount = mount;
        this.lease = lease;
        this.path = path;
        this.parent = parent;
        this.exclusive = exclusive;
        this.recheck = recheck;
    }

    Upload open(FileObject target, long keep) throws StorageException {
        FileObject temp;
        String tempPath;
        OutputStream out;
        try {
            temp = VfsPaths.child(parent, TempNames.generate());
            tempPath = temp.getName().getPath();
            mount.tempNames().started(tempPath);
            out = temp.getContent().getOutputStream(false, VfsFiles.BUFFER);
        } catch (FileSystemException e) {
            throw VfsErrors.map(path, e);
        }
        Runnable discard = () -> {
            if (!VfsFiles.deleteQuietly(temp, "the upload temp file")) {
                // the server is likely gone: delete it once it answers again (Leftovers)
                mount.leftovers().add(temp);
            }
            mount.tempNames().ended(tempPath);
            lease.release();
        };
        if (keep > 0) {
            try {
                copyPrefix(target, out, keep);
            } catch (IOException | StorageException e) {
                closeQuietly(out);
                discard.run();
                throw e instanceof StorageException se ? se : VfsErrors.map(path, e);
            }
        }
        return new VfsUpload(path, out, keep, () -> publish(temp, tempPath), discard::run);
    }

    /** Under the target's lock: check the target again, then move the temp file onto it. */
    private void publish(FileObject temp, String tempPath) throws StorageException {
        try (PathLocks.Held held = mount.locks().lock(path)) {
            recheck.run();
            // on the temp file's connection: VFS renames only within one file system (else it copies)
            FileObject target = mount.paths().resolve(path, lease.root);
            FileInfo existing;
            try {
                existing = mount.entries().read(path, target);
            } catch (StorageException.NotFound missing) {
                existing = null;
            }
            if (existing != null && existing.isDirectory()) {
                throw new StorageException.IsADirectory(path);
            }
            if (existing != null && exclusive) {
                throw new StorageException.AlreadyExists(path);
            }
            VfsFiles.move(temp, target, existing != null);
            mount.tempNames().ended(tempPath);
            lease.release();
        } catch (FileSystemException e) {
            throw VfsErrors.map(path, e);
        } finally {
            mount.cache().changed(path);
        }
    }

    private void copyPrefix(FileObject target, OutputStream out, long keep) throws IOException, StorageException {
        try (InputStream in = target.getContent().getInputStream(VfsFiles.BUFFER)) {
            byte[] buffer = new byte[VfsFiles.BUFFER];
            long copied = 0;
            while (copied < keep) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, keep - copied));
                if (n < 0) {
                    throw new StorageException.Failed(path, path + " shrank below " + keep
                            + " bytes while the upload was opened", null);
                }
                out.write(buffer, 0, n);
                copied += n;
            }
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // the temp file is deleted next
        }
    }
}
