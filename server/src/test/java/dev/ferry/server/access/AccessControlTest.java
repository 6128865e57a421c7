package dev.ferry.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.config.ConfigException;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.config.Source;
import dev.ferry.storage.MemoryStorage;
import dev.ferry.storage.StoragePath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access directives: parsing, defaults, the files they name, and the policy they make. */
class AccessControlTest {

    @TempDir
    Path dir;

    private static ServerConfig config(String text) throws ConfigException {
        return ServerConfig.load(List.of(Source.text("/etc/vsftpd.conf", text)));
    }

    private static AccessControl load(String text) throws ConfigException {
        try (MemoryStorage storage = new MemoryStorage()) {
            return AccessControl.load(config(text), storage);
        }
    }

    @Test
    void vsftpdDefaults() throws ConfigException {
        ServerConfig config = config("");
        assertEquals("ftp", config.get(CoreDirectives.FTP_USERNAME));
        assertEquals(077, config.get(CoreDirectives.ANON_UMASK));
        assertEquals(077, config.get(CoreDirectives.LOCAL_UMASK));
        assertEquals(0666, config.get(CoreDirectives.FILE_OPEN_MODE));
        assertEquals(1, config.get(CoreDirectives.DELAY_FAILED_LOGIN));
        assertEquals(0, config.get(CoreDirectives.DELAY_SUCCESSFUL_LOGIN));
        assertEquals(3, config.get(CoreDirectives.MAX_LOGIN_FAILS));
        assertTrue(config.get(CoreDirectives.ANON_WORLD_READABLE_ONLY));
        assertTrue(config.get(CoreDirectives.USERLIST_DENY));
        assertEquals(".message", config.get(CoreDirectives.MESSAGE_FILE));
        assertEquals(Optional.of(Path.of("/etc/vsftpd.user_list")), config.get(CoreDirectives.USERLIST_FILE));
        assertTrue(config.get(CoreDirectives.CHROOT_LOCAL_USER), "Ferry's safer default");
        assertEquals(List.of(), config.get(CoreDirectives.CMDS_ALLOWED));
    }

    @Test
    void valuesParse() throws ConfigException {
        ServerConfig config = config("""
                anon_umask=022
                file_open_mode=0640
                cmds_allowed=PASV,RETR,QUIT
                hide_file={*.mp3,.private}
                delay_failed_login=5
                max_login_fails=0
                user_sub_token=$USER
                """);
        assertEquals(022, config.get(CoreDirectives.ANON_UMASK));
        assertEquals(0640, config.get(CoreDirectives.FILE_OPEN_MODE));
        assertEquals(List.of("PASV", "RETR", "QUIT"), config.get(CoreDirectives.CMDS_ALLOWED));
        assertEquals("{*.mp3,.private}", config.get(CoreDirectives.HIDE_FILE));
        assertEquals(5, config.get(CoreDirectives.DELAY_FAILED_LOGIN));
        assertEquals(0, config.get(CoreDirectives.MAX_LOGIN_FAILS));
        assertEquals("$USER", config.get(CoreDirectives.USER_SUB_TOKEN));
    }

    @Test
    void badValuesNameFileAndLine() {
        assertTrue(assertThrows(ConfigException.class, () -> config("anon_umask=999")).getMessage()
                .startsWith("/etc/vsftpd.conf:1:"));
        assertTrue(assertThrows(ConfigException.class, () -> config("\nmax_login_fails=-1")).getMessage()
                .startsWith("/etc/vsftpd.conf:2:"));
        assertTrue(assertThrows(ConfigException.class, () -> config("cmds_denied=DELE,,RMD")).getMessage()
                .startsWith("/etc/vsftpd.conf:1:"));
        assertEquals("/etc/vsftpd.conf:1: deny_file: '{' without '}' in pattern '{*.key'",
                assertThrows(ConfigException.class, () -> load("deny_file={*.key")).getMessage());
        assertEquals("/etc/vsftpd.conf:1: ftp_username must be one word, got 'a b'",
                assertThrows(ConfigException.class, () -> load("ftp_username=a b")).getMessage());
    }

    @Test
    void listsAreReadOnlyWhenEnabledAndMustExist() throws Exception {
        assertEquals(Optional.empty(), load("userlist_file=/nonexistent/list").userList());
        String missing = assertThrows(ConfigException.class,
                () -> load("userlist_enable=YES\nuserlist_file=/nonexistent/list")).getMessage();
        assertTrue(missing.startsWith("userlist_file=/nonexistent/list: cannot read the file"), missing);
        for (String directive : List.of("chroot_list", "banned_email", "email_password", "deny_users", "access_rules",
                "banner")) {
            String enable = switch (directive) {
                case "chroot_list" -> "chroot_list_enable=YES\n";
                case "banned_email" -> "deny_email_enable=YES\n";
                case "email_password" -> "secure_email_list_enable=YES\n";
                default -> "";
            };
            String message = assertThrows(ConfigException.class,
                    () -> load(enable + directive + "_file=/nonexistent/file")).getMessage();
            assertTrue(message.startsWith(directive + "_file=/nonexistent/file: cannot read the file"), message);
        }
        Path list = Files.writeString(dir.resolve("list"), "# comment\n  alice  \n\nbob\n");
        AccessControl access = load("userlist_enable=YES\nuserlist_file=" + list + "\ndeny_users_file=" + list);
        assertTrue(access.userList().orElseThrow().contains("alice"));
        assertFalse(access.userList().orElseThrow().contains("# comment"));
        assertTrue(access.deniedUser("bob"));
        assertTrue(access.deniedUser("root"));
        assertFalse(access.deniedUser("carol"));
        assertTrue(load("").deniedUser("root"), "root is refused without a file");
    }

    @Test
    void rulesFileErrorsNameItsLine() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules"), "/pub anonymous list,read\n/upload anonymous wrte\n");
        String message = assertThrows(ConfigException.class, () -> load("access_rules_file=" + rules)).getMessage();
        assertTrue(message.startsWith(rules + ":2: unknown right 'wrte'"), message);
    }

    @Test
    void policyFollowsTheDirectives() throws ConfigException {
        Identity anonymous = new Identity(true, "ftp", List.of());
        Identity local = new Identity(false, "alice", List.of());
        StoragePath any = StoragePath.parse("/x");
        assertEquals(EnumSet.of(Right.LIST, Right.READ), Policy.of(anonymous, config(""), AccessRules.NONE).rights(any));
        assertEquals(EnumSet.of(Right.LIST, Right.READ),
                Policy.of(anonymous, config("anon_upload_enable=YES"), AccessRules.NONE).rights(any),
                "anonymous writes need write_enable too");
        assertEquals(EnumSet.of(Right.LIST, Right.READ, Right.WRITE, Right.MKDIR),
                Policy.of(anonymous, config("write_enable=YES\nanon_upload_enable=YES\nanon_mkdir_write_enable=YES"),
                        AccessRules.NONE).rights(any));
        assertEquals(EnumSet.allOf(Right.class), Policy.of(local, config("write_enable=YES"), AccessRules.NONE).rights(any));
        assertEquals(EnumSet.of(Right.READ), Policy.of(local, config("dirlist_enable=NO"), AccessRules.NONE).rights(any));
        assertFalse(Policy.of(local, config(""), AccessRules.NONE).writable());
    }

    @Test
    void aPerUserFileOverridesTheMainOne() throws ConfigException {
        ServerConfig main = config("write_enable=NO\nlocal_root=/srv");
        ServerConfig user = main.with(Source.text("/etc/vsftpd/users/alice", "write_enable=YES\ncmds_denied=DELE"));
        assertTrue(user.get(CoreDirectives.WRITE_ENABLE));
        assertEquals(List.of("DELE"), user.get(CoreDirectives.CMDS_DENIED));
        assertEquals(Optional.of(Path.of("/srv")), user.get(CoreDirectives.LOCAL_ROOT));
        assertFalse(main.get(CoreDirectives.WRITE_ENABLE));
        assertTrue(assertThrows(ConfigException.class, () -> main.with(Source.text("/etc/vsftpd/users/alice",
                "write_enable=MAYBE"))).getMessage().startsWith("/etc/vsftpd/users/alice:1: "));
    }
}
