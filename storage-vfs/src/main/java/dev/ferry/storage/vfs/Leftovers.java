package dev.ferry.storage.vfs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upload temp files a failed upload could not delete, usually because the server was gone. Startup
 * recovery would find them, but a server may run for months; so the next operation that reaches the
 * server again ({@link #retry}) deletes them, in the background so that operation does not wait.
 */
final class Leftovers {

    private static final Logger LOG = LoggerFactory.getLogger(Leftovers.class);

    /** By URI: the file objects to delete them with (their file system reconnects on use). */
    private final Map<String, FileObject> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();

    void add(FileObject temp) {
        pending.put(temp.getName().getURI(), temp);
    }

    /** Called after an operation succeeded on the server: one background pass, if any are pending. */
    void retry() {
        if (pending.isEmpty() || !running.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("vfs-leftovers").start(() -> {
            try {
                pending.forEach(this::delete);
            } finally {
                running.set(false);
            }
        });
    }

    /** How many are still to delete (tests). */
    int size() {
        return pending.size();
    }

    private void delete(String uri, FileObject temp) {
        try {
            // the object may remember the state from before the outage; ask the server
            temp.refresh();
            temp.delete();
            pending.remove(uri);
            LOG.info("Deleted the upload temp file {} left by an outage", Uris.redact(temp.getName().getFriendlyURI()));
        } catch (FileSystemException e) {
            LOG.debug("Still cannot delete {}: {}", Uris.redact(temp.getName().getFriendlyURI()), VfsErrors.safe(e));
        }
    }
}
