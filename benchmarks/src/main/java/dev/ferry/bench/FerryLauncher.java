package dev.ferry.bench;

import dev.ferry.server.FtpServer;
import dev.ferry.server.auth.UserStore;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.config.Source;
import dev.ferry.storage.MemoryStorage;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts Ferry in-process through its public API, the way Main and the server tests do. */
public final class FerryLauncher {

    /**
     * Anonymous users may read, upload and overwrite (STOR over the same name again and again);
     * no client or per-address cap, since a load test opens thousands of sessions from 127.0.0.1.
     */
    private static final List<String> SETTINGS = List.of(
            "listen_address=127.0.0.1",
            "listen_port=0",
            "anonymous_enable=YES",
            "write_enable=YES",
            "anon_upload_enable=YES",
            "anon_mkdir_write_enable=YES",
            "anon_other_write_enable=YES",
            "anon_world_readable_only=NO",
            "max_clients=0",
            "max_per_ip=0",
            "idle_session_timeout=900");

    private FerryLauncher() {
    }

    /** Ferry on the local disk backend, serving {@code root}. */
    public static EmbeddedServer local(Path root) throws Exception {
        return local("ferry-local", root, List.of());
    }

    /** {@link #local(Path)} with further settings, under the name {@code label}. */
    public static EmbeddedServer local(String label, Path root, List<String> extra) throws Exception {
        List<String> settings = new ArrayList<>(SETTINGS);
        settings.addAll(extra);
        settings.add("storage=local");
        settings.add("local_storage_root=" + root);
        settings.add("anon_root=" + root);
        List<StorageProvider> providers = StorageProvider.installed();
        ServerConfig config = config(settings, providers);
        Storage storage = providers.stream().filter(p -> p.name().equals("local")).findFirst().orElseThrow()
                .open(config.backendSettings());
        return start(label, config, storage);
    }

    /** Ferry on the in-memory backend (no disk in the figure), holding a copy of {@code root}. */
    public static EmbeddedServer memory(Path root) throws Exception {
        return memory(root, List.of());
    }

    /** {@link #memory(Path)} with further settings, e.g. FTPS on. */
    public static EmbeddedServer memory(Path root, List<String> extra) throws Exception {
        MemoryStorage storage = new MemoryStorage();
        StorageCopy.copyTree(root, storage);
        List<String> settings = new ArrayList<>(SETTINGS);
        settings.add("anon_root=/");
        settings.addAll(extra);
        return start("ferry-memory", config(settings, StorageProvider.installed()), storage);
    }

    /**
     * Ferry on its S3 backend against an in-process S3Proxy started for this server (and stopped
     * with it), holding a copy of {@code root}.
     */
    public static EmbeddedServer s3(Path root) throws Exception {
        S3Sandbox sandbox = S3Sandbox.start();
        try {
            return backend("ferry-s3", "s3", sandbox.settings(), root, sandbox);
        } catch (Exception | Error e) {
            sandbox.close();
            throw e;
        }
    }

    /** Ferry on its Commons VFS backend with a ram:// root, holding a copy of {@code root}. */
    public static EmbeddedServer vfs(Path root) throws Exception {
        return backend("ferry-vfs", "vfs", List.of("storage=vfs", "vfs_root=ram:///"), root, () -> { });
    }

    /** A backend opened by its provider name, filled with a copy of {@code root}; {@code after} runs on close. */
    private static EmbeddedServer backend(String label, String provider, List<String> backendSettings, Path root,
            AutoCloseable after) throws Exception {
        List<String> settings = new ArrayList<>(SETTINGS);
        settings.addAll(backendSettings);
        settings.add("anon_root=/");
        List<StorageProvider> providers = StorageProvider.installed();
        ServerConfig config = config(settings, providers);
        Storage storage = providers.stream().filter(p -> p.name().equals(provider)).findFirst()
                .orElseThrow(() -> new IllegalStateException("storage backend " + provider + " is not installed"))
                .open(config.backendSettings());
        try {
            StorageCopy.copyTree(root, storage);
        } catch (Exception e) {
            storage.close();
            throw e;
        }
        return start(label, config, storage, after);
    }

    private static ServerConfig config(List<String> settings, List<StorageProvider> providers) throws Exception {
        return ServerConfig.load(List.of(Source.overrides(settings)),
                providers.stream().flatMap(p -> p.settings().stream()).toList());
    }

    private static EmbeddedServer start(String name, ServerConfig config, Storage storage) throws Exception {
        return start(name, config, storage, () -> { });
    }

    private static EmbeddedServer start(String name, ServerConfig config, Storage storage, AutoCloseable after)
            throws Exception {
        FtpServer server = FtpServer.start(config, storage, UserStore.empty());
        return new EmbeddedServer() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public void close() {
                server.stop(Duration.ofSeconds(2));
                storage.close();
                try {
                    after.close();
                } catch (Exception e) {
                    throw new IllegalStateException("stopping what " + name + " ran on: " + e.getMessage(), e);
                }
            }
        };
    }
}
