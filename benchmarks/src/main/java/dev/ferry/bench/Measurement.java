package dev.ferry.bench;

/** One figure of one scenario against one server. */
record Measurement(String scenario, String metric, double value, Better better) {

    /** Which way is good, so the report can say whether a ratio meets its target. */
    enum Better {
        HIGHER, LOWER, NEITHER
    }

    String key() {
        return scenario + " | " + metric;
    }
}
