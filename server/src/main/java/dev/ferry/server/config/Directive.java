package dev.ferry.server.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One configuration directive: the vsftpd model of a name, a typed value, a default and help text,
 * kept in one table ({@link CoreDirectives}) instead of vsftpd's three (tunables.c, parseconf.c and
 * the man page), so the parser, the typed config and the generated reference cannot disagree.
 *
 * @param defaultValue Ferry's default; where it differs from vsftpd's, {@code help} says so. For an
 *                     {@link Status.Ignored} directive it describes what Ferry always does, so
 *                     setting it to that value is silent and any other value is warned about.
 */
public record Directive<T>(String name, ValueType<T> type, T defaultValue, String help, Status status) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    public Directive {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(help, "help");
        Objects.requireNonNull(status, "status");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("directive names are lower case words joined by '_': " + name);
        }
    }

    /** Parses a value for this directive; the exception message says what was expected. */
    public T parse(String text) {
        return type.parse(text);
    }

    /** {@code value} (a value of this directive) as a config file would spell it. */
    @SuppressWarnings("unchecked")
    String format(Object value) {
        return type.format((T) value);
    }

    /** Whether Ferry acts on the directive. */
    public sealed interface Status {
        Status SUPPORTED = new Supported();
        Status PLANNED = new Planned();

        static Status ignored(String reason) {
            return new Ignored(reason);
        }

        /** Ferry implements it. */
        record Supported() implements Status {
        }

        /** A vsftpd directive Ferry recognises but does not implement yet; setting it has no effect. */
        record Planned() implements Status {
        }

        /** A vsftpd directive that has no meaning in Ferry; {@code reason} is shown when it is set. */
        record Ignored(String reason) implements Status {
            public Ignored {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }
}
