package dev.ferry.storage.vfs;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.util.List;
import java.util.Optional;
import org.apache.commons.vfs2.FileObject;

/** A backend without symbolic links: ram, archives, and remote trees whose links VFS cannot see. */
final class NoLinks implements Links {

    static final NoLinks INSTANCE = new NoLinks();

    private NoLinks() {
    }

    @Override
    public boolean exist() {
        return false;
    }

    @Override
    public Lookup lookup() {
        throw new IllegalStateException("no links to look up");
    }

    @Override
    public Optional<List<String>> belowRoot(String absoluteTarget) {
        return Optional.empty();
    }

    @Override
    public List<Child> children(StoragePath dir, FileObject folder, Entries entries) throws StorageException {
        return Links.fromVfs(dir, folder, entries, name -> false);
    }
}
