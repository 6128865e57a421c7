package dev.ferry.server.log;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * json_log_file: a logback file appender with logback's {@link JsonEncoder}, attached to the
 * logger {@value ActivityLog#JSON_LOGGER} by Ferry itself, so users need no logback.xml.
 *
 * @param logger   the JSON logger
 * @param appender what Ferry attached to it
 * @param level    the logger's level before
 * @param additive whether the logger was additive before
 */
record JsonLogFile(Logger logger, AsyncAppender appender, Level level, boolean additive) {

    /** Records queued for the file at most; a burst beyond it waits for the disk rather than being dropped. */
    private static final int QUEUE = 8192;

    /**
     * A file of JSON lines at {@code file}, created with mode 0600 like the other logs, written by a
     * logback file appender that only this logger uses: the lines go there and nowhere else. Behind
     * logback's AsyncAppender, so that, as with the other logs ({@link LogFile}), sessions only queue
     * a record and a slow disk never holds up a command.
     */
    static JsonLogFile attach(Path file) throws IOException {
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
        Logger logger = context.getLogger(ActivityLog.JSON_LOGGER);
        JsonLogFile attached = new JsonLogFile(logger, async, logger.getLevel(), logger.isAdditive());
        // INFO whatever the root level is, and not additive: the JSON lines do not also land in the
        // human-readable log on standard error
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
        logger.addAppender(async);
        return attached;
    }

    /** Writes what is queued, closes the file, and leaves the logger as it found it. */
    void close() {
        logger.detachAppender(appender);
        logger.setLevel(level);
        logger.setAdditive(additive);
        appender.stop();
    }
}
