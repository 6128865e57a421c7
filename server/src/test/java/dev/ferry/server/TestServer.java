package dev.ferry.server;

import dev.ferry.server.auth.UserStore;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.config.Source;
import dev.ferry.storage.MemoryStorage;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.StorageProvider;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;

/** An in-process Ferry on a free loopback port, for client tests. */
final class TestServer implements AutoCloseable {

    /** For the metrics endpoint: one client for every test server (each client keeps threads). */
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    final Storage storage;
    final FtpServer server;
    /** What the server logged while it started, as an operator reads it: the ports it listens on. */
    private final List<String> startup;

    private TestServer(Storage storage, FtpServer server, List<String> startup) {
        this.storage = storage;
        this.server = server;
        this.startup = startup;
    }

    static Builder builder() {
        return new Builder();
    }

    static final class Builder {
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Storage storage;
        private UserStore users = UserStore.empty();

        Builder() {
            settings.put("listen_port", "0");
            settings.put("listen_address", "127.0.0.1");
            settings.put("anon_root", "/");
        }

        Builder set(String name, String value) {
            settings.put(name, value);
            return this;
        }

        /** Leaves {@code name} at its built-in default. */
        Builder unset(String name) {
            settings.remove(name);
            return this;
        }

        /** The metrics endpoint on a free loopback port, for {@link #activeSessions()} and scrapes. */
        Builder metrics() {
            settings.put("metrics_enable", "YES");
            settings.put("metrics_listen_port", "0");
            return this;
        }

        Builder storage(Storage storage) {
            this.storage = storage;
            return this;
        }

        Builder users(UserStore users) {
            this.users = users;
            return this;
        }

        /** Serve {@code root} with the local disk backend, found and opened as Main does. */
        Builder local(java.nio.file.Path root) {
            settings.put("local_storage_root", root.toString());
            settings.put("storage", "local");
            settings.put("anon_root", root.toString());
            return this;
        }

        TestServer start() throws Exception {
            List<StorageProvider> providers = StorageProvider.installed();
            ServerConfig config = ServerConfig.load(List.of(Source.overrides(
                    settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())),
                    providers.stream().flatMap(p -> p.settings().stream()).toList());
            // a storage given by the test, else the backend the storage directive names (as Main
            // opens it), else the in-memory reference backend
            Storage chosen = storage;
            if (chosen == null && settings.containsKey("storage")) {
                chosen = providers.stream().filter(p -> p.name().equals(settings.get("storage"))).findFirst()
                        .orElseThrow().open(config.backendSettings());
            } else if (chosen == null) {
                chosen = new MemoryStorage();
            }
            try (CapturedLog log = new CapturedLog(FtpServer.class.getName())) {
                FtpServer server = FtpServer.start(config, chosen, users);
                // this thread's lines only: other tests may start servers at the same time
                String thread = Thread.currentThread().getName();
                return new TestServer(chosen, server, log.events().stream()
                        .filter(e -> e.getThreadName().equals(thread)).map(e -> e.getFormattedMessage()).toList());
            }
        }
    }

    int port() {
        return server.port();
    }

    /** The metrics listener's port from the startup line "Ferry metrics on http://ADDRESS:PORT/metrics", or -1 without one. */
    int metricsPort() {
        return loggedPort(Pattern.compile("Ferry metrics on http://.*:(\\d+)/metrics"));
    }

    /** The implicit FTPS listener's port from the startup line "Ferry listening on ADDRESS:PORT (implicit FTPS)", or -1. */
    int implicitPort() {
        return loggedPort(Pattern.compile("Ferry listening on .*:(\\d+) \\(implicit FTPS\\)"));
    }

    /** GET {@code path} from the metrics endpoint (the server needs {@link Builder#metrics()}). */
    HttpResponse<String> getMetrics(String path) throws IOException, InterruptedException {
        int port = metricsPort();
        if (port < 0) {
            throw new IllegalStateException("this server has no metrics endpoint: build it with metrics()");
        }
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The series of a Prometheus text scrape, {@code name{labels}} to value: one sample a line,
     * comments start with '#', the value follows the last space.
     */
    static Map<String, Double> series(String scrape) {
        Map<String, Double> series = new HashMap<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return series;
    }

    /** Sessions connected now, as an operator watches them: the ferry_sessions_active gauge. */
    int activeSessions() throws IOException, InterruptedException {
        Double active = series(getMetrics("/metrics").body()).get("ferry_sessions_active");
        if (active == null) {
            throw new IllegalStateException("no ferry_sessions_active in the scrape");
        }
        return active.intValue();
    }

    private int loggedPort(Pattern line) {
        return startup.stream().map(line::matcher).filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1)))
                .reduce((first, second) -> second).orElse(-1);
    }

    /** A connected client, not logged in. */
    FTPClient connect() throws IOException {
        FTPClient client = new FTPClient();
        client.setConnectTimeout(10_000);
        client.setDefaultTimeout(20_000);
        client.connect("127.0.0.1", port());
        client.setSoTimeout(20_000);
        return client;
    }

    /** A client logged in anonymously, passive mode, binary type. */
    FTPClient anonymous() throws IOException {
        FTPClient client = connect();
        if (!client.login("anonymous", "test@example.com")) {
            throw new IOException("anonymous login failed: " + client.getReplyString());
        }
        client.enterLocalPassiveMode();
        client.setFileType(FTP.BINARY_FILE_TYPE);
        return client;
    }

    /** Puts a file straight into the storage. */
    void put(String path, byte[] content) throws Exception {
        StoragePath target = StoragePath.parse(path);
        StoragePath parent = StoragePath.ROOT;
        for (String segment : target.parent().segments()) {
            parent = parent.child(segment);
            try {
                storage.createDirectory(parent);
            } catch (dev.ferry.storage.StorageException.AlreadyExists ignored) {
                // already there
            }
        }
        try (Upload upload = storage.openWrite(target, WriteMode.REPLACE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                upload.stream().write(buffer);
            }
            upload.commit();
        }
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(2));
        storage.close();
    }
}
