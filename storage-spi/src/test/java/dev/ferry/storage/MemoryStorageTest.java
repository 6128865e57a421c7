package dev.ferry.storage;

class MemoryStorageTest extends StorageContract {

    @Override
    protected Storage createStorage() {
        return new MemoryStorage();
    }
}
