package dev.ferry.server.auth;

import static dev.ferry.server.auth.PasswordHashTest.BCRYPT_2Y;
import static dev.ferry.server.auth.PasswordHashTest.SHA512;
import static dev.ferry.server.auth.PasswordHashTest.SHA512_UTF8;
import static dev.ferry.server.auth.PasswordHashTest.UTF8_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserStoreTest {

    @TempDir
    Path dir;

    private Path write(String... lines) throws Exception {
        Path file = dir.resolve("users");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    private UsersFileException loadFails(String... lines) throws Exception {
        Path file = write(lines);
        return assertThrows(UsersFileException.class, () -> UserStore.load(file));
    }

    @Test
    void loadsUsersWithOptionalHomeAndGroups() throws Exception {
        UserStore store = UserStore.load(write(
                "# Ferry users",
                "",
                "alice:" + SHA512 + ":/srv/ftp/alice:staff,upload",
                "   ",
                "bob:" + BCRYPT_2Y,
                "  # indented comment",
                "carol:" + SHA512 + ":",
                "dave:" + SHA512 + "::staff",
                "erin:" + SHA512_UTF8 + ":/srv/ftp/home with space\r"));
        assertEquals(5, store.size());
        assertEquals(Optional.of(new User("alice", "/srv/ftp/alice", List.of("staff", "upload"))),
                store.find("alice"));
        assertEquals(Optional.of(new User("bob", "", List.of())), store.find("bob"));
        assertEquals(Optional.of(new User("carol", "", List.of())), store.find("carol"));
        assertEquals(Optional.of(new User("dave", "", List.of("staff"))), store.find("dave"));
        assertEquals("/srv/ftp/home with space", store.find("erin").orElseThrow().home());
    }

    @Test
    void authenticatesKnownUsersWithTheRightPassword() throws Exception {
        UserStore store = UserStore.load(write(
                "alice:" + SHA512 + ":/srv/ftp/alice",
                "bob:" + BCRYPT_2Y,
                "erin:" + SHA512_UTF8));
        assertEquals("alice", store.authenticate("alice", "secret").orElseThrow().name());
        assertEquals("bob", store.authenticate("bob", "secret".toCharArray()).orElseThrow().name());
        assertEquals("erin", store.authenticate("erin", UTF8_PASSWORD).orElseThrow().name());
    }

    @Test
    void wrongPasswordUnknownUserAndLockedUserFail() throws Exception {
        UserStore store = UserStore.load(write(
                "alice:" + SHA512,
                "locked:!" + SHA512,
                "star:*"));
        assertTrue(store.authenticate("alice", "wrong").isEmpty());
        assertTrue(store.authenticate("alice", "").isEmpty());
        assertTrue(store.authenticate("alice", (String) null).isEmpty());
        assertTrue(store.authenticate("Alice", "secret").isEmpty(), "names are case-sensitive");
        assertTrue(store.authenticate("nobody", "secret").isEmpty());
        assertTrue(store.authenticate(null, "secret").isEmpty());
        assertTrue(store.authenticate("locked", "secret").isEmpty());
        assertTrue(store.authenticate("star", "*").isEmpty());
        assertTrue(store.find("locked").isPresent(), "a locked user still exists");
        assertTrue(store.find("nobody").isEmpty());
    }

    /**
     * Unknown names are checked against a dummy of the scheme and cost most users have, not the
     * first user's: a lone bcrypt administrator first in the file no longer makes every other
     * name answer faster than an unknown one.
     */
    @Test
    void unknownNamesCostWhatMostUsersCost() throws Exception {
        UserStore store = UserStore.parse("users", List.of("admin:" + BCRYPT_2Y, "a:" + SHA512, "b:" + SHA512_UTF8,
                "c:!" + BCRYPT_2Y, "d:" + PasswordHashTest.SHA512_ROUNDS));
        assertEquals(PasswordHash.work(SHA512), PasswordHash.work(store.dummyHash()));
        assertEquals(new PasswordHash.Work(PasswordHash.Scheme.SHA512, 5000), PasswordHash.work(store.dummyHash()).orElseThrow());
    }

    @Test
    void theTypicalHashCountsSchemeAndCostNotSalt() {
        // $5$ with and without rounds=5000 cost the same: two of a kind beat one of each other
        assertEquals(PasswordHashTest.SHA256, UserStore.typical(List.of(BCRYPT_2Y, PasswordHashTest.SHA512_ROUNDS,
                PasswordHashTest.SHA256, SHA512, PasswordHashTest.SHA256_ROUNDS)));
        // bcrypt's versions cost the same too
        assertEquals(BCRYPT_2Y, UserStore.typical(List.of(SHA512, BCRYPT_2Y, PasswordHashTest.BCRYPT_2A_PUBLISHED)));
        assertEquals(PasswordHashTest.MD5, UserStore.typical(List.of(PasswordHashTest.MD5, SHA512)), "a tie: file order");
        assertEquals("", UserStore.typical(List.of("!", "*", "!" + SHA512)), "locked hashes are no model");
        assertTrue(UserStore.empty().dummyHash().startsWith("$6$"));
    }

    @Test
    void emptyStoreRejectsEveryone() {
        UserStore store = UserStore.empty();
        assertEquals(0, store.size());
        assertTrue(store.authenticate("root", "").isEmpty());
        assertTrue(store.find("root").isEmpty());
    }

    @Test
    void badLinesReportFileAndLine() throws Exception {
        UsersFileException e = loadFails("# header", "alice:" + SHA512, "justaname");
        String file = dir.resolve("users").toString();
        assertEquals(file + ":3: expected name:hash[:home[:groups]], found 1 field(s)", e.getMessage());
        assertEquals(3, e.line());
        assertEquals(file, e.file());

        assertTrue(loadFails("a:" + SHA512 + ":/h:g:extra").getMessage().startsWith(file + ":1: expected"));
        assertTrue(loadFails(":" + SHA512).getMessage().endsWith(":1: empty user name"));
        assertTrue(loadFails("a b:" + SHA512).getMessage().contains(":1: user name holds a blank"));
        assertTrue(loadFails("", "a:").getMessage().contains(":2: user 'a' has an empty password hash"));
        assertTrue(loadFails("a:" + SHA512 + ":/h:staff,,x").getMessage().contains(":1: user 'a' has an empty group"));
        assertTrue(loadFails("a:$6$saltsalt$truncated").getMessage().contains(":1: user 'a' has an unrecognised"));
    }

    @Test
    void duplicateNamesAreAnError() throws Exception {
        UsersFileException e = loadFails("alice:" + SHA512, "# again", "alice:" + BCRYPT_2Y);
        assertEquals(dir.resolve("users") + ":3: duplicate user 'alice' (first defined on line 1)",
                e.getMessage());
    }

    @Test
    void plainTextPasswordsAreRejectedWithoutEchoingThem() throws Exception {
        UsersFileException e = loadFails("alice:hunter2-plaintext");
        assertTrue(e.getMessage().contains(":1: user 'alice' has an unrecognised password hash"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void unreadableFileIsReported() {
        Path missing = dir.resolve("missing");
        UsersFileException e = assertThrows(UsersFileException.class, () -> UserStore.load(missing));
        assertTrue(e.getMessage().startsWith(missing + ": cannot read"), e.getMessage());
        assertEquals(0, e.line());
    }

    @Test
    void invalidUtf8IsReported() throws Exception {
        Path file = dir.resolve("latin1");
        Files.write(file, ("j\u00f6rg:" + SHA512 + "\n").getBytes(StandardCharsets.ISO_8859_1));
        UsersFileException e = assertThrows(UsersFileException.class, () -> UserStore.load(file));
        assertEquals(file + ": not valid UTF-8", e.getMessage());
    }
}
