package dev.ferry.server.command;

import dev.ferry.storage.StoragePath;

/** How paths appear in replies. */
final class Paths {

    private Paths() {
    }

    /** RFC 959 appendix II: a pathname in a 257 reply is quoted, embedded quotes doubled. */
    static String quote(StoragePath path) {
        return "\"" + path.toString().replace("\"", "\"\"") + "\"";
    }
}
