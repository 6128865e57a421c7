package dev.ferry.server.access;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ferry.server.config.ConfigException;
import dev.ferry.storage.StoragePath;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Access rules files with any content: {@link AccessRules#parse} returns rules or throws
 * {@link ConfigException} naming {@code FILE:LINE} in one line, and the rules it returns answer
 * for any identity and path without failing.
 */
class AccessRulesFuzzTest {

    private static final List<Identity> WHO = List.of(
            new Identity(true, "ftp", List.of()),
            new Identity(false, "alice", List.of("readers", "staff")),
            new Identity(false, "*", List.of("@")));

    @FuzzTest(maxDuration = "60s")
    void rulesFile(byte[] input) {
        List<String> lines = new String(input, StandardCharsets.UTF_8).lines().toList();
        AccessRules rules;
        try {
            rules = AccessRules.parse("rules", lines, StoragePath::parse);
        } catch (ConfigException e) {
            assertTrue(e.getMessage().startsWith("rules:"), e.getMessage());
            assertTrue(e.getMessage().indexOf('\n') < 0 && e.getMessage().indexOf('\r') < 0, e.getMessage());
            return;
        }
        for (String path : List.of("/", "/srv/ftp/upload/a", "/srv/shared")) {
            for (Identity who : WHO) {
                Optional<Set<Right>> rights = rules.rights(who, StoragePath.parse(path));
                assertTrue(rights.isEmpty() || rules.size() > 0);
            }
            rules.anyAtOrBelow(StoragePath.parse(path));
        }
    }
}
