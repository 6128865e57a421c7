package dev.ferry.bench;

import dev.ferry.server.FtpServer;
import dev.ferry.server.auth.UserStore;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.config.Source;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageProvider;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Ferry's S3 backend pointed at an endpoint (the relay in front of S3Proxy), or any backend from its
 * directives, opened through its provider with the directives a user would write, and optionally an FTP server in this JVM on
 * top of it. Anonymous users may read and write, as in {@link FerryLauncher}.
 */
final class DistantFerry implements AutoCloseable {

    private final Storage storage;
    private final FtpServer server;

    private DistantFerry(Storage storage, FtpServer server) {
        this.storage = storage;
        this.server = server;
    }

    /** The storage alone, for measuring openRead/openWrite without FTP. */
    static DistantFerry storage(URI endpoint, List<String> tuning) throws Exception {
        ServerConfig config = config(endpoint, tuning);
        return new DistantFerry(open(config), null);
    }

    /** The storage behind an FTP server on a free loopback port. */
    static DistantFerry server(URI endpoint, List<String> tuning) throws Exception {
        return serve(config(endpoint, tuning));
    }

    /** Any backend's directives ({@code storage=...} first) behind an FTP server on a free loopback port. */
    static DistantFerry server(List<String> backend) throws Exception {
        return serve(config(backend));
    }

    private static DistantFerry serve(ServerConfig config) throws Exception {
        Storage storage = open(config);
        try {
            return new DistantFerry(storage, FtpServer.start(config, storage, UserStore.empty()));
        } catch (Exception e) {
            storage.close();
            throw e;
        }
    }

    private static ServerConfig config(URI endpoint, List<String> tuning) throws Exception {
        List<String> backend = new ArrayList<>(List.of("storage=s3", "s3_bucket=" + S3Sandbox.BUCKET,
                "s3_endpoint=" + endpoint, "s3_path_style=YES",
                "s3_access_key_id=" + S3Sandbox.KEY, "s3_secret_access_key=" + S3Sandbox.SECRET));
        backend.addAll(tuning);
        return config(backend);
    }

    private static ServerConfig config(List<String> backend) throws Exception {
        List<String> settings = new ArrayList<>(List.of("listen_address=127.0.0.1", "listen_port=0",
                "anonymous_enable=YES", "write_enable=YES", "anon_upload_enable=YES", "anon_other_write_enable=YES",
                "anon_world_readable_only=NO", "max_clients=0", "max_per_ip=0", "anon_root=/"));
        settings.addAll(backend);
        return ServerConfig.load(List.of(Source.overrides(settings)),
                StorageProvider.installed().stream().flatMap(p -> p.settings().stream()).toList());
    }

    private static Storage open(ServerConfig config) throws Exception {
        String name = config.get(CoreDirectives.STORAGE);
        return StorageProvider.installed().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the " + name + " backend is not on the class path"))
                .open(config.backendSettings());
    }

    Storage storage() {
        return storage;
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
        storage.close();
    }
}
