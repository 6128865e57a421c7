package dev.ferry.server.metrics;

import dev.ferry.server.transfer.RateLimitWaits;
import dev.ferry.storage.Storage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * What the server counts, in the words of the server (a session opened, a login failed, a
 * transfer ended), kept apart from Micrometer's vocabulary. Meter names follow Micrometer's
 * dotted convention; the Prometheus registry turns {@code ferry.sessions} into
 * {@code ferry_sessions_total}, adds {@code _seconds} and {@code _bytes} from the base units, so
 * the scrape follows Prometheus' naming rules (README, Operations).
 *
 * <p>{@link #OFF} is the whole cost when metrics_enable is NO: every method returns at its first
 * line. With metrics on, meters are looked up per session, command, login, transfer or storage
 * call (Micrometer caches them by name and tags), never per byte: the rate-limit wait meters,
 * the only ones on a per-chunk path, are looked up once per token bucket and handed to it as
 * {@link RateLimitWaits}, which then only adds to them, and only when the bucket pauses.
 *
 * <p>Label values come from closed sets (verbs Ferry knows, reply classes, storage operations,
 * exception kinds), never from client text, so a client cannot blow up the number of series.
 */
public final class Metrics {

    /** Counts nothing and allocates nothing. */
    public static final Metrics OFF = new Metrics(null, "");

    /** Transfer durations from a directory listing to a large file over a slow link. */
    private static final Duration[] DURATION_BUCKETS = {
        Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
        Duration.ofMinutes(5), Duration.ofMinutes(30)};

    /** The scope of a rate limit: one session's (anon_max_rate, local_max_rate) or the server's (global_*). */
    public enum Limit { SESSION, GLOBAL }

    /** What a data connection carried. */
    public enum Direction { DOWNLOAD, UPLOAD, LISTING }

    private final PrometheusMeterRegistry registry;
    private final String backend;
    private final AtomicInteger active = new AtomicInteger();
    private final JvmGcMetrics gc;

    private Metrics(PrometheusMeterRegistry registry, String backend) {
        this.registry = registry;
        this.backend = backend;
        if (registry == null) {
            this.gc = null;
            return;
        }
        Gauge.builder("ferry.sessions.active", active, AtomicInteger::get)
                .description("Control connections open now").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        this.gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * A fresh Prometheus registry with the JVM meters bound; {@code backend} (the storage
     * directive) labels the transfer and storage meters.
     */
    public static Metrics prometheus(String backend) {
        return new Metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), backend);
    }

    public boolean enabled() {
        return registry != null;
    }

    /** The current values in the Prometheus text format (exposition format 0.0.4). */
    public String scrape() {
        return registry == null ? "" : registry.scrape();
    }

    // ---- sessions

    /** A client got its greeting: it counts as a session until {@link #sessionClosed}. */
    public void sessionOpened() {
        if (registry == null) {
            return;
        }
        active.incrementAndGet();
        Counter.builder("ferry.sessions").description("Sessions greeted since start").register(registry).increment();
    }

    public void sessionClosed() {
        if (registry != null) {
            active.decrementAndGet();
        }
    }

    /**
     * A connection turned away before its greeting; {@code reason} is one of a fixed set
     * (max_clients, max_per_ip, shutting_down, tls_handshake).
     */
    public void sessionRefused(String reason) {
        if (registry == null) {
            return;
        }
        Counter.builder("ferry.sessions.refused").description("Connections refused before the greeting")
                .tag("reason", reason).register(registry).increment();
    }

    // ---- logins and commands

    /** A login decided: {@code anonymous} or a local (users_file) user, accepted or refused. */
    public void login(boolean anonymous, boolean ok) {
        if (registry == null) {
            return;
        }
        Counter.builder("ferry.logins").description("Login attempts decided")
                .tag("kind", anonymous ? "anonymous" : "local").tag("outcome", ok ? "ok" : "failed")
                .register(registry).increment();
    }

    /**
     * A command and the code of its final reply. {@code verb} is Ferry's name for it (aliases such
     * as XCWD count as CWD), or null for a verb Ferry does not know, counted as "unknown".
     */
    public void command(String verb, int replyCode) {
        if (registry == null) {
            return;
        }
        Counter.builder("ferry.commands").description("Commands by verb and class of their final reply")
                .tag("verb", verb == null ? "unknown" : verb).tag("reply_class", replyClass(replyCode))
                .register(registry).increment();
    }

    /** RFC 959 section 4.2: the first digit is what the reply means (1xx preliminary ... 5xx permanent failure). */
    static String replyClass(int code) {
        return code >= 100 && code <= 599 ? code / 100 + "xx" : "none";
    }

    // ---- transfers

    /** One data transfer ended; {@code complete} when its final reply was positive (226). */
    public void transfer(Direction direction, boolean complete, long bytes, long nanos) {
        if (registry == null) {
            return;
        }
        String dir = direction.name().toLowerCase(Locale.ROOT);
        String outcome = complete ? "complete" : "failed";
        Counter.builder("ferry.transfers").description("Data transfers ended")
                .tags("direction", dir, "backend", backend, "outcome", outcome).register(registry).increment();
        Counter.builder("ferry.transfer").baseUnit("bytes").description("Bytes moved over data connections")
                .tags("direction", dir, "backend", backend).register(registry).increment(bytes);
        Timer.builder("ferry.transfer.duration").description("Data transfer durations, data connection to final reply")
                .serviceLevelObjectives(DURATION_BUCKETS).tags("direction", dir, "backend", backend)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** What the token buckets of {@code limit} report their pauses to. */
    public RateLimitWaits rateLimitWaits(Limit limit) {
        if (registry == null) {
            return RateLimitWaits.NONE;
        }
        String scope = limit.name().toLowerCase(Locale.ROOT);
        Counter waits = Counter.builder("ferry.rate.limit.waits").description("Pauses made by rate limits")
                .tag("limit", scope).register(registry);
        Counter seconds = Counter.builder("ferry.rate.limit.wait").baseUnit("seconds")
                .description("Time spent in pauses made by rate limits").tag("limit", scope).register(registry);
        return nanos -> {
            waits.increment();
            seconds.increment(nanos / 1e9);
        };
    }

    /** Passive listeners waiting for their data connection, read at each scrape. */
    public void passivePortsInUse(IntSupplier inUse) {
        if (registry == null) {
            return;
        }
        // strongly held: Micrometer keeps only a weak reference to a gauge's object by default, and
        // nothing else holds this lambda, so the gauge would read NaN after the next GC
        Gauge.builder("ferry.passive.ports.in.use", inUse, IntSupplier::getAsInt).strongReference(true)
                .description("Passive mode listeners waiting for a data connection").register(registry);
    }

    // ---- storage

    /** One call into the storage backend; {@code outcome} is "ok" or the kind of failure. */
    void storageOperation(String operation, String outcome, long nanos) {
        Timer.builder("ferry.storage.operation").description("Calls into the storage backend")
                .tags("backend", backend, "operation", operation, "outcome", outcome)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code storage} timed call by call when metrics are on; as it is when they are off. */
    public Storage meter(Storage storage) {
        return registry == null ? storage : new MeteredStorage(storage, this);
    }

    /** Stops the JVM meters' listeners (GC notifications) and the registry. */
    public void close() {
        if (registry != null) {
            gc.close();
            registry.close();
        }
    }
}
