package dev.ferry.storage.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ferry.storage.Capability;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageContract;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The contract on {@code ram://}: every storage gets its own manager, so its own empty tree. */
class RamStorageTest extends StorageContract {

    @Override
    protected Storage createStorage() throws Exception {
        return new VfsStorage(VfsConfigBuilder.config("ram://"));
    }

    @Test
    void offersWhatTheRamProviderCanDo() {
        assertEquals(Set.of(Capability.RANDOM_READ, Capability.APPEND, Capability.WRITE_AT_OFFSET,
                Capability.EXCLUSIVE_CREATE, Capability.RENAME, Capability.EMPTY_DIRECTORIES,
                Capability.SET_MODIFIED), storage.capabilities());
        assertFalse(has(Capability.ATOMIC_REPLACE));
    }
}
