package dev.ferry.storage.vfs;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.commons.vfs2.FileObject;

/**
 * A directory's children, turned into entries one at a time. VFS fetches all names at once
 * ({@code getChildren}); over SFTP the listing also carries each child's attributes, so reading them
 * here costs no extra round trip. Upload temp files and names a client could not spell (CR, LF, NUL)
 * are left out. Each entry is remembered in the metadata cache for the SIZE/MDTM that usually follow.
 */
final class VfsListing implements Listing {

    private final StoragePath dir;
    private final FileObject[] children;
    private final Entries entries;
    private final MetadataCache cache;

    VfsListing(StoragePath dir, FileObject[] children, Entries entries, MetadataCache cache) {
        this.dir = dir;
        this.children = children;
        this.entries = entries;
        this.cache = cache;
    }

    @Override
    public Iterator<FileInfo> iterator() {
        return new Iterator<>() {
            private int index;
            private FileInfo next;

            @Override
            public boolean hasNext() {
                while (next == null && index < children.length) {
                    next = entry(children[index++]);
                }
                return next != null;
            }

            @Override
            public FileInfo next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                FileInfo result = next;
                next = null;
                return result;
            }
        };
    }

    private FileInfo entry(FileObject child) {
        String name = VfsPaths.baseName(child);
        if (TempNames.isReserved(name)) {
            return null;
        }
        StoragePath path;
        try {
            path = dir.child(name);
        } catch (StoragePath.InvalidPathException e) {
            return null;
        }
        try {
            FileInfo info = entries.read(path, child);
            cache.put(info);
            return info;
        } catch (StorageException.NotFound e) {
            // deleted between the listing and now
            return null;
        } catch (StorageException e) {
            throw new ListingFailure(e);
        }
    }

    @Override
    public void close() {
        // the children were fetched in one call; nothing stays open
    }
}
