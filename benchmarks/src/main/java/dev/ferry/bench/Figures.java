package dev.ferry.bench;

import java.util.Locale;

/** Number formatting for the tables: three significant figures, ratios with a ×. */
public final class Figures {

    private Figures() {
    }

    /** {@code value} with about three significant figures; "n/a" for NaN. */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 100 || value == 0) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (magnitude >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    /** {@code a / b} as "2.31×"; "n/a" when either is missing or b is 0. */
    public static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return "n/a";
        }
        return number(a / b) + "×";
    }

    /** Bytes as MB/s from bytes/s (decimal megabytes, as network rates are quoted). */
    public static double megabytes(double bytes) {
        return bytes / 1_000_000.0;
    }

    /** A byte count as a file size: 4 KiB, 10 MiB, 1 GiB. */
    public static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }
}
