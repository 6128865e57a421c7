package dev.ferry.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.server.config.ConfigException;
import dev.ferry.storage.StoragePath;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    private static final Identity ANONYMOUS = new Identity(true, "ftp", List.of());
    private static final Identity ALICE = new Identity(false, "alice", List.of("readers", "staff"));
    private static final Identity BOB = new Identity(false, "bob", List.of("readers"));
    private static final Identity CAROL = new Identity(false, "carol", List.of());

    private static AccessRules parse(String text) throws ConfigException {
        return AccessRules.parse("/etc/ferry/rules", text.lines().toList(), StoragePath::parse);
    }

    private static String error(String text) {
        return assertThrows(ConfigException.class, () -> parse(text)).getMessage();
    }

    private static Optional<Set<Right>> at(AccessRules rules, Identity who, String path) {
        return rules.rights(who, StoragePath.parse(path));
    }

    @Test
    void deepestPathThenMostSpecificSubjectWins() throws ConfigException {
        AccessRules rules = parse("""
                # comment
                /            *          list,read
                /upload      anonymous  write
                /shared      @readers   list,read
                /shared      @staff     mkdir
                /shared      alice      all
                /shared/box  local      none
                "/my files"  anonymous,local  read
                """);
        assertEquals(Optional.of(EnumSet.of(Right.LIST, Right.READ)), at(rules, ANONYMOUS, "/pub/x"));
        assertEquals(Optional.of(EnumSet.of(Right.WRITE)), at(rules, ANONYMOUS, "/upload/a/b"));
        assertEquals(Optional.of(EnumSet.allOf(Right.class)), at(rules, ALICE, "/shared/f"));
        assertEquals(Optional.of(EnumSet.of(Right.LIST, Right.READ)), at(rules, BOB, "/shared"));
        assertEquals(Optional.of(EnumSet.of(Right.LIST, Right.READ)), at(rules, CAROL, "/shared"),
                "carol is in no group: the rule for * at / applies");
        assertEquals(Optional.of(EnumSet.noneOf(Right.class)), at(rules, ALICE, "/shared/box/x"));
        assertEquals(Optional.of(EnumSet.of(Right.READ)), at(rules, BOB, "/my files/x"));
        // /uploads is not below /upload
        assertEquals(Optional.of(EnumSet.of(Right.LIST, Right.READ)), at(rules, ANONYMOUS, "/uploads"));
    }

    @Test
    void groupsAtTheSamePathAddUp() throws ConfigException {
        AccessRules rules = parse("/d @readers list\n/d @staff read\n");
        assertEquals(Optional.of(EnumSet.of(Right.LIST, Right.READ)), at(rules, ALICE, "/d"));
        assertEquals(Optional.of(EnumSet.of(Right.LIST)), at(rules, BOB, "/d"));
        assertEquals(Optional.empty(), at(rules, CAROL, "/d"), "no rule: the directives decide");
        assertEquals(Optional.empty(), at(rules, ANONYMOUS, "/d"), "groups never match anonymous sessions");
    }

    @Test
    void namedRulesNeverMatchAnonymousSessions() throws ConfigException {
        assertEquals(Optional.empty(), at(parse("/ ftp all"), ANONYMOUS, "/x"));
    }

    @Test
    void errorsNameFileAndLine() {
        assertEquals("/etc/ferry/rules:2: expected PATH WHO RIGHTS, found 2 field(s)", error("# c\n/pub anonymous\n"));
        assertEquals("/etc/ferry/rules:1: unknown right 'upload'; expected list, read, write, overwrite, mkdir, "
                + "delete, rename, all or none", error("/pub anonymous read,upload"));
        assertEquals("/etc/ferry/rules:1: empty item in RIGHTS 'read,'", error("/pub anonymous read,"));
        assertEquals("/etc/ferry/rules:1: '@' needs a group name", error("/pub @ read"));
        assertEquals("/etc/ferry/rules:1: missing closing '\"'", error("\"/pub anonymous read"));
        assertEquals("/etc/ferry/rules:3: a rule for anonymous on /pub/ is already given at /etc/ferry/rules:1",
                error("/pub anonymous read\n/pub local read\n/pub/ anonymous,local list"));
    }

    @Test
    void pathErrorsComeFromTheStorage() {
        ConfigException e = assertThrows(ConfigException.class, () -> AccessRules.parse("rules", List.of("/x * read"),
                text -> {
                    throw new dev.ferry.storage.StorageException.Failed(StoragePath.ROOT, "outside local_storage_root", null);
                }));
        assertEquals("rules:1: path '/x': outside local_storage_root", e.getMessage());
    }
}
