package dev.ferry.storage.local;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.StagedUpload;
import dev.ferry.storage.WriteMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to a hidden temp sibling of the target and publishes it with one renameat(2) in the same
 * open directory on commit, so the target name holds the old bytes or the new ones, never a
 * truncated mix, even after kill -9, and the bytes land in the directory the jail resolved even if
 * its path changes meanwhile. Append and ResumeAt start the temp file with a copy of the bytes they
 * keep (see {@link Uploads}). The upload holds its directory open until it ends. The state machine
 * is {@link StagedUpload}'s; an abort closes the channel at once, which also wakes a blocked write.
 */
final class LocalUpload extends StagedUpload {

    private static final Logger LOG = LoggerFactory.getLogger(LocalUpload.class);
    private static final Path DOT = Path.of(".");
    private static final Set<StandardOpenOption> CLAIM = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    private static final FileAttribute<?>[] NO_PERMISSIONS = {PosixFilePermissions.asFileAttribute(Set.of())};
    static final long WRITEBACK_EVERY = 16L * 1024 * 1024;

    private final StoragePath path;
    private final Dir dir;
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final boolean exclusive;
    private final boolean posix;
    private final TempFiles tempFiles;
    /** local_upload_fsync: force the data and the directory to disk around the rename. */
    private final boolean fsync;
    /** Bytes written since the last early writeback began (fsync only). */
    private long unflushed;
    /** The early writeback in flight, if any. */
    private Thread writeback;

    /** Takes over {@code dir} (closed when the upload ends) and the temp file. */
    LocalUpload(StoragePath path, Dir dir, Path target, TempFiles.Opened temp, WriteMode mode, boolean posix,
                TempFiles tempFiles, boolean fsync) {
        super(path, AbortStyle.IMMEDIATE);
        this.fsync = fsync;
        this.path = path;
        this.dir = dir;
        this.target = target;
        this.temp = temp.name();
        this.channel = temp.channel();
        this.exclusive = mode instanceof WriteMode.CreateNew;
        this.posix = posix;
        this.tempFiles = tempFiles;
    }

    /** fchownat on the temp file, inside the directory the jail resolved, never following a link. */
    @Override
    public void giveTo(String owner) throws StorageException {
        if (!posix) {
            throw new StorageException.Unsupported("change the owner of an upload");
        }
        try {
            PosixFileAttributeView view = dir.stream().getFileAttributeView(temp, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            view.setOwner(temp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner));
        } catch (IOException e) {
            throw IoErrors.map(path, e);
        }
    }

    /**
     * With local_upload_fsync the whole file must reach the disk before the rename. Left to the
     * end, that is a wait for all of it after the last byte arrived (seconds for a big upload);
     * so every {@link #WRITEBACK_EVERY} bytes another thread forces what is written so far while
     * this one goes on receiving, and the final force has only the tail left. It changes when the
     * bytes reach the disk, not what the rename waits for.
     */
    @Override
    protected int write(ByteBuffer src) throws IOException {
        int n = channel.write(src);
        if (fsync) {
            unflushed += n;
            if (unflushed >= WRITEBACK_EVERY && (writeback == null || !writeback.isAlive())) {
                unflushed = 0;
                writeback = Thread.ofVirtual().name("ferry-writeback").start(this::writeBack);
            }
        }
        return n;
    }

    private void writeBack() {
        try {
            channel.force(false);
        } catch (IOException e) {
            // closed by an abort or the commit, or a failing disk: the commit's own force reports it
            LOG.debug("Early writeback of {} stopped: {}", path, e.toString());
        }
    }

    @Override
    protected long publish() throws StorageException {
        try {
            // the data must be on disk before the rename makes it visible, or a power cut
            // can leave the new name pointing at an empty file (local_upload_fsync=NO skips it,
            // as vsftpd and pure-ftpd do: the rename still keeps a crash from publishing a part)
            if (fsync) {
                channel.force(true);
            }
            long size = channel.size();
            channel.close();
            rename();
            if (fsync) {
                syncDirectory();
            }
            return size;
        } catch (IOException e) {
            throw IoErrors.map(path, e);
        }
    }

    private void rename() throws IOException {
        if (!exclusive) {
            // renameat(2) replaces the target in one step, inside the directory the jail resolved
            dir.stream().move(temp, dir.stream(), target);
            return;
        }
        claimTarget();
        try {
            dir.stream().move(temp, dir.stream(), target);
        } catch (IOException e) {
            releaseClaim();
            throw e;
        }
    }

    /**
     * STOU must fail when the name exists, and SecureDirectoryStream has no linkat (which would
     * publish and check in one step). So the name is claimed with O_CREAT|O_EXCL (a second exclusive
     * upload of the name loses here) by an empty file without permissions, which the rename then
     * replaces: between the two a reader finds an empty, unreadable file. A plain upload of the same
     * name in that instant is replaced, as any upload is by a later one.
     */
    private void claimTarget() throws IOException {
        try (SeekableByteChannel claim = dir.stream().newByteChannel(target, CLAIM,
                posix ? NO_PERMISSIONS : new FileAttribute<?>[0])) {
            // created: nothing to write
        }
    }

    /** Removes the claim of a failed exclusive commit, unless someone has put a file of their own there since. */
    private void releaseClaim() {
        try {
            BasicFileAttributes claim = dir.stream()
                    .getFileAttributeView(target, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
            if (claim.isRegularFile() && claim.size() == 0) {
                dir.stream().deleteFile(target);
            }
        } catch (IOException e) {
            LOG.warn("Could not remove the empty file claiming {} for a failed exclusive upload", path, e);
        }
    }

    /** Persists the rename itself (the directory entry); not every platform can sync a directory. */
    private void syncDirectory() {
        try (SeekableByteChannel directory = dir.stream().newByteChannel(DOT, Set.of(StandardOpenOption.READ))) {
            if (directory instanceof FileChannel file) {
                file.force(true);
            }
        } catch (IOException e) {
            LOG.debug("Cannot sync the directory of {}: {}", path, e.toString());
        }
    }

    /** Closing the channel also wakes a write blocked in another thread (ABOR). */
    @Override
    protected void discard() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing the temp file of {} failed", path, e);
        }
        TempFiles.deleteQuietly(dir, temp);
    }

    @Override
    protected void ended() {
        tempFiles.release(temp);
        dir.close();
    }
}
