package dev.ferry.storage.vfs;

import com.jcraft.jsch.JSchException;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;

/**
 * The roots of one vfs_root on up to {@code size} file systems, each its own connection (for SFTP one
 * SSH session; see {@link SlotOption}). An SSH server limits the channels per connection (OpenSSH
 * MaxSessions, 10 by default) and every running transfer holds one, so transfers and stats are spread:
 * each operation leases the least busy connection, a further connection is opened only when every open
 * one already runs {@link #SHARE} operations, and a channel a server refuses is asked of the next
 * connection. Only when every connection refuses does the operation wait for a channel to free, at most
 * {@code wait}, and then fail as temporary (451).
 *
 * <p>Slot 0 is the root the storage opened with. An operation resolves all its paths on its one leased
 * root: a rename's source and target, an upload's temp file and target share one file system, so VFS
 * renames rather than copies. Retrying on another connection is safe because a refusal comes before the
 * channel carries a request. Leases only count; nothing blocks here but the bounded wait.
 */
final class Connections {

    /** Operations per connection before another is opened: below MaxSessions 10, with room for stats. */
    static final int SHARE = 4;

    /** Opens the root on connection {@code slot}. */
    interface Opener {
        FileObject open(int slot) throws FileSystemException;
    }

    /** An operation on one connection's root. */
    interface Op<T> {
        T apply(Lease lease) throws StorageException, IOException;
    }

    private final AtomicReferenceArray<FileObject> roots;
    private final AtomicIntegerArray busy;
    private final Opener opener;
    private final Duration wait;

    Connections(FileObject first, int size, Opener opener, Duration wait) {
        roots = new AtomicReferenceArray<>(size);
        roots.set(0, first);
        busy = new AtomicIntegerArray(size);
        this.opener = opener;
        this.wait = wait;
    }

    /** One connection, in use until {@link #release}. */
    final class Lease {
        final int slot;
        final FileObject root;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(int slot, FileObject root) {
            this.slot = slot;
            this.root = root;
        }

        /** Idempotent: streams call it from close, which may come twice. */
        void release() {
            if (released.compareAndSet(false, true)) {
                busy.decrementAndGet(slot);
            }
        }
    }

    /** Runs a short operation on a connection and frees it after. */
    <T> T brief(StoragePath path, Op<T> op) throws StorageException {
        return hold(path, lease -> {
            try {
                return op.apply(lease);
            } finally {
                lease.release();
            }
        });
    }

    /**
     * Runs an operation that keeps its connection on success (a stream: it releases the lease when
     * closed); on failure the lease is released here. A refused channel moves it to another connection.
     */
    <T> T hold(StoragePath path, Op<T> op) throws StorageException {
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = 20;
        while (true) {
            boolean[] refusedBy = new boolean[roots.length()];
            for (int attempt = 0; attempt < roots.length(); attempt++) {
                Lease lease = lease(path, refusedBy);
                if (lease == null) {
                    break;
                }
                try {
                    return op.apply(lease);
                } catch (StorageException e) {
                    lease.release();
                    if (!refused(e)) {
                        throw e;
                    }
                } catch (IOException e) {
                    lease.release();
                    if (!refused(e)) {
                        throw VfsErrors.map(path, e);
                    }
                } catch (RuntimeException e) {
                    lease.release();
                    throw e;
                }
                refusedBy[lease.slot] = true;
            }
            // every connection is full: wait for a transfer to end rather than fail at once
            if (System.nanoTime() - deadline > 0) {
                throw new StorageException.Transient(path, "the SFTP server refuses more channels on all "
                        + roots.length() + " connection(s) (vfs_sftp_connections; MaxSessions)", null);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException.Transient(path, "interrupted while waiting for an SFTP channel", e);
            }
            pause = Math.min(pause * 2, 500);
        }
    }

    /**
     * The least busy open connection not refused yet; a new one when every open one has its share.
     * The count is taken with compare-and-set: sessions that start together must not all see the same
     * idle connection and pile onto it.
     */
    private Lease lease(StoragePath path, boolean[] refusedBy) throws StorageException {
        boolean mayOpen = true;
        while (true) {
            int best = -1;
            int closed = -1;
            for (int slot = 0; slot < roots.length(); slot++) {
                if (roots.get(slot) == null) {
                    closed = closed < 0 ? slot : closed;
                } else if (!refusedBy[slot] && (best < 0 || busy.get(slot) < busy.get(best))) {
                    best = slot;
                }
            }
            if (mayOpen && closed >= 0 && (best < 0 || busy.get(best) >= SHARE)) {
                try {
                    // threads that open the same slot at once get the same file system from VFS's cache
                    roots.compareAndSet(closed, null, opener.open(closed));
                } catch (FileSystemException e) {
                    if (best < 0) {
                        throw VfsErrors.map(path, e);
                    }
                    mayOpen = false;
                }
                continue;
            }
            if (best < 0) {
                return null;
            }
            int count = busy.get(best);
            if (busy.compareAndSet(best, count, count + 1)) {
                return new Lease(best, roots.get(best));
            }
        }
    }

    /** How many connections are open now (tests). */
    int open() {
        int open = 0;
        for (int slot = 0; slot < roots.length(); slot++) {
            open += roots.get(slot) == null ? 0 : 1;
        }
        return open;
    }

    /**
     * The server turned a new channel down; the connection itself is fine and another one may have room.
     * OpenSSH at MaxSessions answers the open with a failure ("no more sessions" in its log; JSch:
     * "channel is not opened"); Apache MINA SSHD over its channel limit accepts and closes the channel
     * at once, which JSch reports from ChannelSftp.start as a closed stream.
     */
    static boolean refused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JSchException && opening(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean opening(Throwable e) {
        String text = String.valueOf(e.getMessage());
        if (text.contains("channel is not opened") || text.contains("open failed")) {
            return true;
        }
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().equals("com.jcraft.jsch.ChannelSftp") && frame.getMethodName().equals("start")) {
                return text.contains("inputstream is closed") || text.contains("Pipe closed");
            }
        }
        return false;
    }
}
