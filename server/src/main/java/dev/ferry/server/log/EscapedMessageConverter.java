package dev.ferry.server.log;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * logback's {@code %msg} with control characters escaped ({@link LogText#escape}): the bundled
 * logback.xml names it for {@code %msg}, so every diagnostic line Ferry writes passes here, whatever
 * client text a log call puts in its arguments.
 */
public class EscapedMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return LogText.escape(super.convert(event));
    }
}
