package dev.ferry.storage;

import java.util.List;
import java.util.ServiceLoader;

/**
 * A backend, found with {@link ServiceLoader}: a third party adds one by putting a jar with a
 * {@code META-INF/services/dev.ferry.storage.StorageProvider} entry on the class path.
 */
public interface StorageProvider {

    /** The name the {@code storage} directive selects ({@code local}, {@code s3}, {@code vfs}). */
    String name();

    /** The directives this backend reads; the server adds them to its directive table. */
    List<Setting> settings();

    /**
     * Opens the storage. {@code settings} holds a value (or the default) for every setting this
     * provider declared. Fails with a message a user can act on when the target is unusable.
     */
    Storage open(Settings settings) throws StorageException;

    /** One backend directive. */
    record Setting(String name, Kind kind, String defaultValue, String help) {
        public enum Kind { STRING, BOOLEAN, INTEGER, PATH }
    }

    /** The values of a provider's directives, already validated by their kind. */
    interface Settings {
        String string(String name);

        boolean bool(String name);

        long integer(String name);
    }

    /** All providers on the class path. */
    static List<StorageProvider> installed() {
        return ServiceLoader.load(StorageProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    }
}
