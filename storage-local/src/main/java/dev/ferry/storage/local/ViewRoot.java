package dev.ferry.storage.local;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;

/**
 * The jail of a scoped view: {@code root}, a path of the parent jail. Each operation finds it again
 * from the parent's root (links inside the parent followed) and opens it: the view holds nothing,
 * its root may appear or move later, and a view of a view stays inside both.
 */
record ViewRoot(Jail parent, StoragePath root) implements Jail {

    @Override
    public Walk open(StoragePath path) throws StorageException {
        try (Walk outer = parent.open(path)) {
            Entry entry = outer.resolve(root, true, false);
            if (!entry.isDirectory()) {
                throw new StorageException.NotFound(path);
            }
            return outer.into(root, entry);
        } catch (StorageException.NotFound | StorageException.NotADirectory | StorageException.InvalidName e) {
            // a root that is missing, or not a directory, holds nothing
            throw new StorageException.NotFound(path);
        } catch (StorageException.AccessDenied e) {
            // the message would name the root, which the view's client does not see
            throw new StorageException.AccessDenied(path, "");
        }
    }
}
