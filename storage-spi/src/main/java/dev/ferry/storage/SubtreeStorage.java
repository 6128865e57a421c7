package dev.ferry.storage;

import java.nio.channels.ReadableByteChannel;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@link Storage#scoped} for a backend without symbolic links (S3, memory): a path of the view is
 * the same path below {@code root} in the base storage, and what the base reports comes back
 * relative to {@code root}. {@link StoragePath} already stops {@code ..} at the view's root, so
 * nothing else can lead out. A backend with links must confine them itself and not use this.
 */
public final class SubtreeStorage implements Storage {

    private final Storage base;
    private final StoragePath root;

    private SubtreeStorage(Storage base, StoragePath root) {
        this.base = base;
        this.root = root;
    }

    /** The view of {@code base} below {@code root}. */
    public static Storage of(Storage base, StoragePath root) {
        return new SubtreeStorage(base, root);
    }

    private StoragePath inBase(StoragePath path) {
        return path.under(root);
    }

    private FileInfo inView(FileInfo info) {
        return info.at(info.path().relativeTo(root));
    }

    @Override
    public Set<Capability> capabilities() {
        return base.capabilities();
    }

    @Override
    public FileInfo stat(StoragePath path) throws StorageException {
        return inView(base.stat(inBase(path)));
    }

    @Override
    public Listing list(StoragePath dir) throws StorageException {
        Listing listing = base.list(inBase(dir));
        return new Listing() {
            @Override
            public Iterator<FileInfo> iterator() {
                Iterator<FileInfo> entries = listing.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return entries.hasNext();
                    }

                    @Override
                    public FileInfo next() {
                        return inView(entries.next());
                    }
                };
            }

            @Override
            public void close() {
                listing.close();
            }
        };
    }

    /** Names need no mapping: they are the same in the view and in the base. */
    @Override
    public NameListing names(StoragePath dir) throws StorageException {
        return base.names(inBase(dir));
    }

    @Override
    public ReadableByteChannel openRead(StoragePath path, long offset) throws StorageException {
        return base.openRead(inBase(path), offset);
    }

    @Override
    public Upload openWrite(StoragePath path, WriteMode mode) throws StorageException {
        return base.openWrite(inBase(path), mode);
    }

    @Override
    public Upload openWrite(StoragePath path, WriteMode mode, OptionalInt permissions) throws StorageException {
        return base.openWrite(inBase(path), mode, permissions);
    }

    @Override
    public void createDirectory(StoragePath dir) throws StorageException {
        if (dir.isRoot()) {
            throw new StorageException.AlreadyExists(dir);
        }
        base.createDirectory(inBase(dir));
    }

    @Override
    public void delete(StoragePath file) throws StorageException {
        if (file.isRoot()) {
            throw new StorageException.IsADirectory(file);
        }
        base.delete(inBase(file));
    }

    @Override
    public void deleteDirectory(StoragePath dir) throws StorageException {
        if (dir.isRoot()) {
            throw new StorageException.AccessDenied(dir, "the root cannot be removed");
        }
        base.deleteDirectory(inBase(dir));
    }

    @Override
    public void rename(StoragePath from, StoragePath to) throws StorageException {
        if (from.isRoot()) {
            throw new StorageException.AccessDenied(from, "the root cannot be moved");
        }
        if (to.isRoot()) {
            throw new StorageException.AlreadyExists(to);
        }
        base.rename(inBase(from), inBase(to));
    }

    @Override
    public void setModified(StoragePath path, Instant time) throws StorageException {
        base.setModified(inBase(path), time);
    }

    @Override
    public void setPermissions(StoragePath path, int mode) throws StorageException {
        base.setPermissions(inBase(path), mode);
    }

    @Override
    public Optional<String> storedChecksum(StoragePath path, String algorithm) throws StorageException {
        return base.storedChecksum(inBase(path), algorithm);
    }

    @Override
    public void recover(StoragePath dir) throws StorageException {
        base.recover(inBase(dir));
    }

    @Override
    public Storage scoped(StoragePath inner) {
        return of(base, inner.under(root));
    }

    /** A view owns nothing: the base storage stays open. */
    @Override
    public void close() {
    }
}
