package dev.ferry.server.log;

import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * json_log_enable: each command with its final reply as an SLF4J event on the logger
 * {@value ActivityLog#JSON_LOGGER}, its fields as SLF4J 2 key-value pairs. The logging backend writes the JSON:
 * with json_log_file, Ferry attaches a logback file appender with logback's own JSON encoder to
 * that logger ({@link JsonLogFile}), so no logback.xml is needed; without it the logger is left
 * to the user's logging configuration (any encoder, any destination).
 *
 * <p>Why logback's JsonEncoder and not logstash-logback-encoder, which writes key-value pairs as
 * flat, typed fields: it ships with logback, which Ferry already uses, while the logstash encoder
 * needs Jackson in the server's jar and a third Jackson version to keep in line with the ones the
 * tests' S3Proxy drags in (the parent pom's exclusions). The price is logback's layout: the
 * fields are in {@code kvpList}, an array of one-field objects with string values (README,
 * Operations, shows it and a jq line that flattens it).
 *
 * <p>This class uses SLF4J only, so a server embedded without logback (the benchmarks run Ferry
 * with slf4j-nop) can load it; logback's classes are only touched with json_log_file.
 */
public final class JsonLog implements AutoCloseable {

    private final Logger logger;
    /** Empty when the logging configuration routes the logger. */
    private final Optional<JsonLogFile> file;

    private JsonLog(Logger logger, Optional<JsonLogFile> file) {
        this.logger = logger;
        this.file = file;
    }

    /** What json_log_enable and json_log_file ask for; empty without json_log_enable. */
    public static Optional<JsonLog> open(ServerConfig config) throws IOException {
        if (!config.get(CoreDirectives.JSON_LOG_ENABLE)) {
            return Optional.empty();
        }
        Optional<Path> file = config.get(CoreDirectives.JSON_LOG_FILE);
        Optional<JsonLogFile> attached = Optional.empty();
        if (file.isPresent()) {
            try {
                attached = Optional.of(JsonLogFile.attach(file.get()));
            } catch (NoClassDefFoundError e) { // Ferry embedded with another SLF4J backend
                throw new IOException("json_log_file=" + file.get() + " needs logback as the logging backend ("
                        + e.getMessage() + " is missing)", e);
            }
        }
        return Optional.of(new JsonLog(LoggerFactory.getLogger(ActivityLog.JSON_LOGGER), attached));
    }

    void record(CommandRecord record) {
        if (!logger.isInfoEnabled()) {
            return;
        }
        // escaped although the encoder writes JSON: a reader's `jq -r` would print the characters raw
        String command = LogText.escape(ActivityLog.hidePassword(record.command()));
        LoggingEventBuilder event = logger.atInfo()
                .addKeyValue("session", record.session())
                .addKeyValue("user", LogText.escape(record.user()))
                .addKeyValue("client", record.client())
                .addKeyValue("command", command)
                .addKeyValue("reply_code", record.replyCode())
                .addKeyValue("reply_text", LogText.escapeKeepingLines(record.replyText()));
        if (record.bytes().isPresent()) {
            event = event.addKeyValue("bytes", record.bytes().getAsLong());
        }
        event.addKeyValue("duration_ms", record.nanos() / 1_000_000).log(command);
    }

    /** Writes what is queued and closes json_log_file, leaving the logger as it found it. */
    @Override
    public void close() {
        // not file.ifPresent(JsonLogFile::close): a method reference links JsonLogFile, and with it
        // logback, even when the Optional is empty
        if (file.isPresent()) {
            file.get().close();
        }
    }
}
