package dev.ferry.server.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.config.Source;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Client text in every kind of log line: no control character gets through raw. */
class LogTextTest {

    /** What a hostile client sends: ANSI colour, a forged line, DEL, the C1 CSI and a bidi override. */
    private static final String HOSTILE = "bob\u001b[31m\r\nforged\u007f\u009b2J\u202e";
    private static final String ESCAPED = "bob\\x1b[31m\\x0d\\x0aforged\\x7f\\x9b2J\\u202e";

    @Test
    void escapesControlCharactersAndLeavesTheRest() {
        assertEquals(ESCAPED, LogText.escape(HOSTILE));
        assertEquals("line\\u2028break\\x00", LogText.escape("line\u2028break\u0000"));
        String plain = "Grüße/日本語 C:\\tmp\\x1b [a]";
        assertSame(plain, LogText.escape(plain), "printable text, backslashes included, is not copied");
        assertEquals(LogText.escape(HOSTILE), LogText.escape(LogText.escape(HOSTILE)), "escaping twice changes nothing");
        assertEquals("at\n\tx\\x1b\\x0d", LogText.escapeKeepingLines("at\n\tx\u001b\r"));
    }

    @Test
    void vsftpdAndXferlogLinesAreEscaped() {
        String line = LogFormats.vsftpd(new LogFormats.Event(LogFormats.Kind.LOGIN, false, 3, HOSTILE, "127.0.0.1",
                "", "", 0, 0), false, Instant.EPOCH, ZoneOffset.UTC);
        assertEquals("[" + ESCAPED + "] FAIL LOGIN: Client \"127.0.0.1\"", line);
        TransferRecord record = new TransferRecord(false, "/pub/" + HOSTILE, false, 'r', "bob", "bob",
                "127.0.0.1", 3, 0);
        assertTrue(LogFormats.xferlog(record, 1, true, 1000, ZoneOffset.UTC).contains("/pub/" + ESCAPED));
    }

    @Test
    void jsonLogFieldsAreEscaped() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(ActivityLog.JSON_LOGGER);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        try (JsonLog log = JsonLog.open(ServerConfig.load(List.of(Source.overrides(List.of("json_log_enable=YES")))))
                .orElseThrow()) {
            log.record(new CommandRecord(3, HOSTILE, "127.0.0.1", "CWD " + HOSTILE, 550,
                    "Failed to change directory: " + HOSTILE + "\nsecond line", OptionalLong.empty(), 1));
        } finally {
            logger.detachAppender(captured);
            logger.setLevel(level);
        }
        ILoggingEvent event = captured.list.getFirst();
        Map<String, String> fields = event.getKeyValuePairs().stream()
                .collect(Collectors.toMap(pair -> pair.key, pair -> String.valueOf(pair.value)));
        assertEquals(ESCAPED, fields.get("user"));
        assertEquals("CWD " + ESCAPED, fields.get("command"));
        assertEquals("CWD " + ESCAPED, event.getFormattedMessage());
        // a multi-line reply keeps its documented '\n' joins (which the JSON encoder escapes)
        assertEquals("Failed to change directory: bob\\x1b[31m\\x0d\nforged\\x7f\\x9b2J\\u202e\nsecond line",
                fields.get("reply_text"));
    }

    /**
     * The bundled logback.xml, loaded into a context of its own (the test class path brings other
     * configurations): its %msg and %ex escape what a log call's arguments and exceptions carry.
     */
    @Test
    void bundledLogbackConfigurationEscapesMessagesAndStackTraces() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
        try {
            Logger logger = context.getLogger("dev.ferry.server.command.AuthCommands");
            OutputStreamAppender<ILoggingEvent> appender =
                    (OutputStreamAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
            assertNotNull(appender, "the bundled configuration has an appender called STDERR");
            var layout = ((LayoutWrappingEncoder<ILoggingEvent>) appender.getEncoder()).getLayout();
            LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR, "login of '{}' refused",
                    new IOException("no such file", new IOException(HOSTILE)), new Object[] {HOSTILE});
            String text = layout.doLayout(event);
            assertTrue(text.contains("login of '" + ESCAPED + "' refused"), text);
            assertTrue(text.contains("Caused by: java.io.IOException: " + ESCAPED + "\n"), text);
            assertTrue(text.contains("\n\tat "), "the stack trace keeps its own lines: " + text);
            assertFalse(text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t'), text);
        } finally {
            context.stop();
        }
    }
}
