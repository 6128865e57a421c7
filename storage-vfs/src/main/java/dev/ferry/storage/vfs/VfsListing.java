package dev.ferry.storage.vfs;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A directory's children, turned into entries one at a time. The children were fetched in one call
 * (VFS's {@code getChildren}, or one SFTP READDIR, whose attributes cost no extra round trip). Upload
 * temp files and names a client could not spell (CR, LF, NUL) are left out. A link is shown as what it
 * points to, under its own name; a link that leads out of the root, dangles or loops is left out, as
 * {@code ls -L} would not show it either. Each entry is remembered in the metadata cache (under its
 * canonical path) for the SIZE/MDTM that usually follow.
 */
final class VfsListing implements Listing {

    /** What a link in the listed directory points to, as an entry at its canonical path. */
    interface Targets {
        FileInfo stat(StoragePath dir, String name, StoragePath shown) throws StorageException;
    }

    private final StoragePath shownDir;
    private final StoragePath dir;
    private final List<Links.Child> children;
    private final Targets targets;
    private final MetadataCache cache;

    /**
     * @param shownDir the directory as the caller named it (entries carry paths below it)
     * @param dir      the same directory as a canonical base path
     */
    VfsListing(StoragePath shownDir, StoragePath dir, List<Links.Child> children, Targets targets,
               MetadataCache cache) {
        this.shownDir = shownDir;
        this.dir = dir;
        this.children = children;
        this.targets = targets;
        this.cache = cache;
    }

    @Override
    public Iterator<FileInfo> iterator() {
        return new Iterator<>() {
            private int index;
            private FileInfo next;

            @Override
            public boolean hasNext() {
                while (next == null && index < children.size()) {
                    next = entry(children.get(index++));
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

    private FileInfo entry(Links.Child child) {
        String name = child.name();
        if (TempNames.isReserved(name)) {
            return null;
        }
        StoragePath shown;
        try {
            shown = shownDir.child(name);
        } catch (StoragePath.InvalidPathException e) {
            return null;
        }
        try {
            if (child.link()) {
                return Entries.at(targets.stat(dir, name, shown), shown);
            }
            FileInfo info = child.reader().read(dir.child(name));
            cache.put(info);
            return Entries.at(info, shown);
        } catch (StorageException.NotFound e) {
            // deleted since the listing, or a link that leads out of the root, dangles or loops
            return null;
        } catch (StorageException e) {
            // a link whose target cannot be read (permission denied, a name no path can hold) is left out;
            // a failing connection fails the listing
            if (child.link() && !(e instanceof StorageException.Transient)) {
                return null;
            }
            throw new ListingFailure(e);
        }
    }

    @Override
    public void close() {
        // the children were fetched in one call; nothing stays open
    }
}
