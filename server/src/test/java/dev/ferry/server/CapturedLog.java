package dev.ferry.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/** What one logger logs at INFO and above while it is open, whatever logging configuration the test class path brings (a storage module's test jar sets WARN); close it to leave the logger as it was. */
final class CapturedLog implements AutoCloseable {

    private final Logger logger;
    private final Level level;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    CapturedLog(String name) {
        logger = (Logger) LoggerFactory.getLogger(name);
        level = logger.getLevel();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
    }

    List<ILoggingEvent> events() {
        return List.copyOf(appender.list);
    }

    List<String> messages() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** The messages once one matches {@code until} (sessions log on their own threads); fails after 5 s. */
    List<String> await(Predicate<String> until) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            List<String> messages = messages();
            if (messages.stream().anyMatch(until)) {
                return messages;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no matching log message: " + messages());
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(level);
    }
}
