package dev.ferry.server;

import java.nio.file.Path;
import java.util.List;

/**
 * The storage backends of this build, for tests that must behave the same on each. Another backend
 * (S3, VFS) joins every such test with one line in {@link #ALL}.
 */
final class Backends {

    /** How a test gets a server on one backend and writes paths of it in the configuration. */
    interface Backend {
        String name();

        /** A server builder serving a fresh storage kept under {@code dir} (where the backend needs a place). */
        TestServer.Builder builder(Path dir) throws Exception;

        /** A storage path ({@code /pub}) as the configuration spells it (anon_root, homes, rules). */
        String configured(Path dir, String path);
    }

    static final Backend MEMORY = new Backend() {
        public String name() {
            return "memory";
        }

        public TestServer.Builder builder(Path dir) {
            return TestServer.builder();
        }

        public String configured(Path dir, String path) {
            return path;
        }

        @Override
        public String toString() {
            return name();
        }
    };

    static final Backend LOCAL = new Backend() {
        public String name() {
            return "local";
        }

        public TestServer.Builder builder(Path dir) {
            return TestServer.builder().local(dir);
        }

        public String configured(Path dir, String path) {
            return path.equals("/") ? dir.toString() : dir + path;
        }

        @Override
        public String toString() {
            return name();
        }
    };

    /** Every backend available to the server tests. */
    static final List<Backend> ALL = List.of(MEMORY, LOCAL);

    private Backends() {
    }

    /** For {@code @MethodSource}. */
    static List<Backend> all() {
        return ALL;
    }
}
