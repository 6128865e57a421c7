package dev.ferry.storage.vfs;

import java.time.Duration;
import java.util.Locale;

/** Reads the duration settings: {@code 500ms}, {@code 10s}, {@code 2m}; a bare number is seconds, as in vsftpd. */
final class Durations {

    private Durations() {
    }

    static Duration parse(String name, String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        long unit;
        String digits;
        if (value.endsWith("ms")) {
            unit = 1;
            digits = value.substring(0, value.length() - 2);
        } else if (value.endsWith("s")) {
            unit = 1000;
            digits = value.substring(0, value.length() - 1);
        } else if (value.endsWith("m")) {
            unit = 60_000;
            digits = value.substring(0, value.length() - 1);
        } else {
            unit = 1000;
            digits = value;
        }
        try {
            long amount = Long.parseLong(digits.strip());
            if (amount < 0) {
                throw new NumberFormatException("negative");
            }
            return Duration.ofMillis(Math.multiplyExact(amount, unit));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(name + "=" + text
                    + " is not a duration (a whole number with ms, s or m, e.g. 500ms or 10s)", e);
        }
    }
}
