package dev.ferry.server.config;

import dev.ferry.server.config.Directive.Status;
import dev.ferry.storage.StorageProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Generates the configuration reference in Markdown from the directive table, so the documentation
 * cannot drift from what the parser accepts (ConfigReferenceTest keeps README.md equal to it).
 */
public final class ConfigReference {

    /** The line before the generated section in README.md. */
    public static final String START = "<!-- config-reference:start -->";
    /** The line after the generated section in README.md. */
    public static final String END = "<!-- config-reference:end -->";

    private ConfigReference() {
    }

    /**
     * One table per status (supported, planned, ignored), each in the order given. Lines end with
     * {@code \n} and the text ends with one.
     */
    public static String markdown(List<Directive<?>> directives) {
        try {
            return markdown(directives, List.of());
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The reference for the core table and the directives of {@code providers}, each in its own section. */
    public static String markdown(List<Directive<?>> directives, List<StorageProvider> providers)
            throws ConfigException {
        StringBuilder out = new StringBuilder();
        out.append("Ferry reads vsftpd.conf syntax: one `name=value` a line, no spaces around `=`, `#` starts a ")
                .append("comment line, booleans are `YES`/`NO`. Files given on the command line apply in order, ")
                .append("then `-o name=value` options; the last value wins. Unknown names and bad values stop ")
                .append("the server with `file:line: message`.\n");
        section(out, directives, s -> s instanceof Status.Supported, "Supported",
                "Directives Ferry implements.");
        for (StorageProvider provider : providers) {
            List<Directive<?>> rows = new ArrayList<>();
            for (StorageProvider.Setting setting : provider.settings()) {
                rows.add(ServerConfig.backendDirective(setting));
            }
            section(out, rows, s -> true, "Storage backend `" + provider.name() + "`",
                    "Read when `storage=" + provider.name() + "`.");
        }
        section(out, directives, s -> s instanceof Status.Planned, "Recognised, not supported yet",
                "vsftpd directives Ferry accepts but does not act on yet; setting one to anything but its "
                        + "default logs a warning at startup.");
        section(out, directives, s -> s instanceof Status.Ignored, "Ignored",
                "vsftpd directives that have no meaning in Ferry; the default shown is what Ferry always does, "
                        + "and setting another value logs the reason at startup.");
        return out.toString();
    }

    private static void section(StringBuilder out, List<Directive<?>> directives, Predicate<Status> status,
            String title, String intro) {
        List<Directive<?>> rows = directives.stream().filter(d -> status.test(d.status())).toList();
        if (rows.isEmpty()) {
            return;
        }
        out.append("\n### ").append(title).append("\n\n").append(intro).append("\n\n");
        out.append("| Directive | Type | Default | Description |\n");
        out.append("| --- | --- | --- | --- |\n");
        for (Directive<?> d : rows) {
            String help = d.help();
            if (d.status() instanceof Status.Ignored ignored) {
                help = help + " **Ignored:** " + ignored.reason() + ".";
            }
            out.append("| `").append(d.name()).append("` | ")
                    .append(d.type().describe()).append(" | ")
                    .append(defaultCell(d)).append(" | ")
                    .append(escape(help)).append(" |\n");
        }
    }

    private static String defaultCell(Directive<?> d) {
        String value = d.format(d.defaultValue());
        return value.isEmpty() ? "*(none)*" : "`" + escape(value) + "`";
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
