package dev.ferry.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The metrics listener: GET /metrics answers the scrape in the Prometheus text format, anything
 * else 404 (405 for another method on /metrics). The JDK's own HTTP server on virtual threads is
 * plenty for a scraper every few seconds, and keeps a web framework out of the server. It has its
 * own address and port, off by default, so metrics are never exposed on the FTP port by accident.
 */
public final class MetricsEndpoint implements AutoCloseable {

    /** The Prometheus text exposition format, version 0.0.4, which every Prometheus reads. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on {@code address} and starts serving. Fails with a message naming
     * metrics_listen_address and metrics_listen_port when the address cannot be bound.
     */
    public static MetricsEndpoint start(InetSocketAddress address, Metrics metrics) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new IOException("cannot listen on metrics_listen_address=" + address.getHostString()
                    + " metrics_listen_port=" + address.getPort() + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", exchange -> answer(exchange, metrics));
        server.start();
        return new MetricsEndpoint(server, executor);
    }

    private static void answer(HttpExchange exchange, Metrics metrics) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (!path.equals("/metrics")) {
                exchange.sendResponseHeaders(404, -1);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
            } else {
                byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
                if (method.equals("HEAD")) {
                    exchange.sendResponseHeaders(200, -1);
                } else {
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
        }
    }

    /** The port bound (useful with metrics_listen_port=0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops listening at once: a scrape in progress is cut, Prometheus retries at its next interval. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
