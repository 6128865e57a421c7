package dev.ferry.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract on a backend with none of the optional capabilities: the skipped tests run here in
 * their "refused as Unsupported" form, and the server's tests get a model of a weak backend.
 */
class MemoryStorageWithoutOptionsTest extends StorageContract {

    @Override
    protected Storage createStorage() {
        return new MemoryStorage(Set.of());
    }

    @Test
    void advertisesNothingOptional() {
        assertEquals(Set.of(), storage.capabilities());
    }
}
