package dev.ferry.storage.vfs;

import java.util.regex.Pattern;

/** Keeps passwords written into a root URI ({@code sftp://user:secret@host/}) out of logs and messages. */
final class Uris {

    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:\\s]*):[^/@\\s]*@");

    private Uris() {
    }

    static String redact(String text) {
        return text == null ? "" : USER_INFO.matcher(text).replaceAll("$1:***@");
    }

    /** The scheme of the outermost provider: {@code zip} for {@code zip:sftp://host/a.zip!/}. */
    static String scheme(String uri) {
        int colon = uri.indexOf(':');
        return colon <= 0 ? "" : uri.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
    }
}
