package dev.ferry.storage.local;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;

/**
 * The directory one storage or view is confined to. Views hold no descriptors between calls (a
 * session makes one at login and never closes it), so each operation opens its jail afresh.
 */
interface Jail {

    /**
     * A walk standing in this jail's root, for one operation on {@code path}; failures name
     * {@code path}, not the root, which the client of a view does not see.
     */
    Walk open(StoragePath path) throws StorageException;
}
