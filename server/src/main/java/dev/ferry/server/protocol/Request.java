package dev.ferry.server.protocol;

import java.util.Locale;

/**
 * One command line split into its verb (upper-cased: verbs are case-insensitive, RFC 959 section
 * 5.3) and the argument: everything after the first space, kept exactly, because file names may
 * start or end with spaces.
 */
public record Request(String verb, String argument) {

    public static Request parse(String line) {
        int space = line.indexOf(' ');
        if (space < 0) {
            return new Request(line.toUpperCase(Locale.ROOT), "");
        }
        return new Request(line.substring(0, space).toUpperCase(Locale.ROOT), line.substring(space + 1));
    }

    public boolean hasArgument() {
        return !argument.isEmpty();
    }

    /** For logs: never shows a password. */
    @Override
    public String toString() {
        return verb.equals("PASS") ? "PASS <hidden>" : argument.isEmpty() ? verb : verb + " " + argument;
    }
}
