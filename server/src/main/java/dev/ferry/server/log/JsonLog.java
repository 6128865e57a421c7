package dev.ferry.server.log;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * json_log_enable: each command with its final reply as an SLF4J event on the logger
 * {@value ActivityLog#JSON_LOGGER}, its fields as SLF4J 2 key-value pairs. The logging backend writes the JSON:
 * with json_log_file, Ferry attaches a logback file appender with logback's own
 * {@link JsonEncoder} to that logger, so no logback.xml is needed; without it the logger is left
 * to the user's logging configuration (any encoder, any destination).
 *
 * <p>Why logback's JsonEncoder and not logstash-logback-encoder, which writes key-value pairs as
 * flat, typed fields: it ships with logback, which Ferry already uses, while the logstash encoder
 * needs Jackson in the server's jar and a third Jackson version to keep in line with the ones the
 * tests' S3Proxy drags in (the parent pom's exclusions). The price is logback's layout: the
 * fields are in {@code kvpList}, an array of one-field objects with string values (README,
 * Operations, shows it and a jq line that flattens it).
 */
public final class JsonLog implements AutoCloseable {

    /** What Ferry attached for json_log_file, and how the logger was set before. */
    private record Attached(ch.qos.logback.classic.Logger logger, AsyncAppender appender, Level level,
                            boolean additive) {
    }

    /** Records queued for the file at most; a burst beyond it waits for the disk rather than being dropped. */
    private static final int QUEUE = 8192;

    private final Logger logger;
    /** Empty when the logging configuration routes the logger. */
    private final Optional<Attached> attached;

    private JsonLog(Logger logger, Optional<Attached> attached) {
        this.logger = logger;
        this.attached = attached;
    }

    /** What json_log_enable and json_log_file ask for; empty without json_log_enable. */
    public static Optional<JsonLog> open(ServerConfig config) throws IOException {
        if (!config.get(CoreDirectives.JSON_LOG_ENABLE)) {
            return Optional.empty();
        }
        Optional<Path> file = config.get(CoreDirectives.JSON_LOG_FILE);
        return Optional.of(file.isPresent() ? toFile(file.get()) : toLogger());
    }

    /** The logger alone: the logging configuration decides where and how its events are written. */
    static JsonLog toLogger() {
        return new JsonLog(LoggerFactory.getLogger(ActivityLog.JSON_LOGGER), Optional.empty());
    }

    /**
     * A file of JSON lines at {@code file}, created with mode 0600 like the other logs, written by a
     * logback file appender that only this logger uses: the lines go there and nowhere else. Behind
     * logback's AsyncAppender, so that, as with the other logs ({@link LogFile}), sessions only queue
     * a record and a slow disk never holds up a command.
     */
    static JsonLog toFile(Path file) throws IOException {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            throw new IOException("json_log_file=" + file + " needs logback as the logging backend (found "
                    + LoggerFactory.getILoggerFactory().getClass().getName() + ")");
        }
        try {
            LogFile.createPrivate(file);
        } catch (IOException e) {
            throw new IOException("cannot open json_log_file=" + file + ": " + e, e);
        }
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        // the record's own fields and the time; logback's context, MDC (the session id is a field
        // already), thread and sequence numbers would only repeat themselves on every line
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMDC(false);
        encoder.setWithThreadName(false);
        encoder.setWithArguments(false);
        encoder.setWithMarkers(false);
        encoder.setWithThrowable(false);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("ferry-json-log");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        if (!appender.isStarted()) {
            throw new IOException("cannot open json_log_file=" + file + " (see the logback status messages)");
        }
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("ferry-json-log-queue");
        async.setQueueSize(QUEUE);
        async.setDiscardingThreshold(0); // its default drops INFO events when the queue is 80% full
        async.addAppender(appender);
        async.start();
        ch.qos.logback.classic.Logger logger = context.getLogger(ActivityLog.JSON_LOGGER);
        Attached attached = new Attached(logger, async, logger.getLevel(), logger.isAdditive());
        // INFO whatever the root level is, and not additive: the JSON lines do not also land in the
        // human-readable log on standard error
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
        logger.addAppender(async);
        return new JsonLog(logger, Optional.of(attached));
    }

    void record(CommandRecord record) {
        if (!logger.isInfoEnabled()) {
            return;
        }
        String command = ActivityLog.hidePassword(record.command());
        LoggingEventBuilder event = logger.atInfo()
                .addKeyValue("session", record.session())
                .addKeyValue("user", record.user())
                .addKeyValue("client", record.client())
                .addKeyValue("command", command)
                .addKeyValue("reply_code", record.replyCode())
                .addKeyValue("reply_text", record.replyText());
        if (record.bytes().isPresent()) {
            event = event.addKeyValue("bytes", record.bytes().getAsLong());
        }
        event.addKeyValue("duration_ms", record.nanos() / 1_000_000).log(command);
    }

    /** Writes what is queued, closes the file, and leaves the logger as it found it. */
    @Override
    public void close() {
        attached.ifPresent(open -> {
            open.logger().detachAppender(open.appender());
            open.logger().setLevel(open.level());
            open.logger().setAdditive(open.additive());
            open.appender().stop();
        });
    }
}
