package dev.ferry.server;

import dev.ferry.server.auth.UserStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Users files for client tests, written to a temporary directory and loaded like the server does. */
final class TestUsers {

    private TestUsers() {
    }

    /** {@code lines} in the users file format {@code name:hash[:home[:groups]]}. */
    static UserStore of(Path dir, String... lines) throws Exception {
        Path file = Files.createTempFile(dir, "users", ".txt");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return UserStore.load(file);
    }
}
