package dev.ferry.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * An absolute path inside a storage, as validated segments. Client text becomes a path only
 * through {@link #resolve}, which applies {@code .} and {@code ..} lexically and stops at the
 * root, so no backend ever sees a raw client string and none can be escaped.
 *
 * <p>A segment is never empty, never {@code .} or {@code ..}, and never holds {@code /}, NUL, CR
 * or LF (RFC 959 section 3.1.1.5 forbids CR/LF in pathnames; NUL ends a C string on the way to
 * many backends).
 */
public record StoragePath(List<String> segments) implements Comparable<StoragePath> {

    public static final StoragePath ROOT = new StoragePath(List.of());

    public StoragePath {
        segments = List.copyOf(segments);
        for (String segment : segments) {
            checkSegment(segment);
        }
    }

    /**
     * Resolves client text against this directory. An absolute text ({@code /a/b}) starts at the
     * root. Empty segments (from {@code //}) and {@code .} are skipped; {@code ..} removes the last
     * segment and stays at the root when there is none.
     *
     * @throws InvalidPathException when a segment holds NUL, CR or LF
     */
    public StoragePath resolve(String text) {
        List<String> result = new ArrayList<>(text.startsWith("/") ? List.of() : segments);
        for (String part : text.split("/", -1)) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!result.isEmpty()) {
                    result.removeLast();
                }
                continue;
            }
            checkSegment(part);
            result.add(part);
        }
        return new StoragePath(result);
    }

    /** Parses a trusted path from configuration ({@code /pub/incoming}); same rules as resolve. */
    public static StoragePath parse(String text) {
        return ROOT.resolve(text);
    }

    /** The child named {@code name}, which must be a valid single segment. */
    public StoragePath child(String name) {
        // one copy into an immutable list, which the constructor keeps as it is (a listing makes
        // one path per entry); the constructor checks the name
        String[] result = segments.toArray(new String[segments.size() + 1]);
        result[segments.size()] = name;
        return new StoragePath(List.of(result));
    }

    /** The parent directory; the root is its own parent. */
    public StoragePath parent() {
        return segments.isEmpty() ? this : new StoragePath(segments.subList(0, segments.size() - 1));
    }

    /** The last segment, or the empty string for the root. */
    public String name() {
        return segments.isEmpty() ? "" : segments.getLast();
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** True when {@code other} equals this path or lies below it. */
    public boolean contains(StoragePath other) {
        return other.segments.size() >= segments.size()
                && other.segments.subList(0, segments.size()).equals(segments);
    }

    /** This path relative to {@code base}, which must contain it. */
    public StoragePath relativeTo(StoragePath base) {
        if (!base.contains(this)) {
            throw new IllegalArgumentException(this + " is not inside " + base);
        }
        return new StoragePath(segments.subList(base.segments.size(), segments.size()));
    }

    /** {@code base} followed by this path's segments. */
    public StoragePath under(StoragePath base) {
        List<String> result = new ArrayList<>(base.segments);
        result.addAll(segments);
        return new StoragePath(result);
    }

    /** {@code /} for the root, else {@code /a/b}. */
    @Override
    public String toString() {
        return segments.isEmpty() ? "/" : "/" + String.join("/", segments);
    }

    @Override
    public int compareTo(StoragePath other) {
        return toString().compareTo(other.toString());
    }

    private static void checkSegment(String segment) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            throw new InvalidPathException("invalid path segment: '" + segment + "'");
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '/' || c == '\0' || c == '\r' || c == '\n') {
                throw new InvalidPathException("path segment holds a forbidden character");
            }
        }
    }

    /** Client text that cannot name a path. */
    public static final class InvalidPathException extends IllegalArgumentException {
        public InvalidPathException(String message) {
            super(message);
        }
    }
}
