package dev.ferry.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A user_config_dir file: what it sets applies, what it cannot apply is left out with a warning. */
class PerUserFileTest {

    private static final ServerConfig MAIN = load("""
            userlist_enable=YES
            userlist_file=/etc/ferry/user_list
            deny_email_enable=NO
            """);

    private static ServerConfig load(String text) {
        try {
            return ServerConfig.load(List.of(Source.text("/etc/ferry.conf", text)));
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code main} with {@code text} as the user file /etc/ferry/users/bob; {@code warnings} gets what it logs. */
    private static ServerConfig withUserFile(ServerConfig main, String text, List<String> warnings) throws Exception {
        return main.with(Source.text("/etc/ferry/users/bob", text), warnings::add);
    }

    @Test
    void listsDecidedBeforeTheLoginAreLeftOutWithAWarning() throws Exception {
        List<String> warnings = new ArrayList<>();
        ServerConfig bob = withUserFile(MAIN, """
                write_enable=YES
                userlist_enable=NO
                userlist_deny=NO
                secure_email_list_enable=YES
                email_password_file=/etc/ferry/emails
                deny_email_enable=YES
                banned_email_file=/etc/ferry/banned
                local_max_rate=1000
                """, warnings);
        assertTrue(bob.get(CoreDirectives.WRITE_ENABLE), "what a user file can set applies");
        assertEquals(1000, bob.get(CoreDirectives.LOCAL_MAX_RATE));
        assertTrue(bob.get(CoreDirectives.USERLIST_ENABLE), "the main file's user list stays on");
        assertTrue(bob.get(CoreDirectives.USERLIST_DENY));
        assertFalse(bob.get(CoreDirectives.SECURE_EMAIL_LIST_ENABLE));
        assertFalse(bob.get(CoreDirectives.DENY_EMAIL_ENABLE));
        assertEquals(MAIN.get(CoreDirectives.EMAIL_PASSWORD_FILE), bob.get(CoreDirectives.EMAIL_PASSWORD_FILE));
        assertEquals(List.of("userlist_enable", "userlist_deny", "secure_email_list_enable", "email_password_file",
                "deny_email_enable", "banned_email_file"), warnings.stream().map(w -> w.split(" ")[1]).toList());
        assertEquals("/etc/ferry/users/bob:2: userlist_enable has no effect in a user_config_dir file (it takes "
                + "effect before the login succeeds, and so before this file is read); left out, the main "
                + "configuration's value stays", warnings.getFirst());
        assertTrue(warnings.get(3).startsWith("/etc/ferry/users/bob:5: email_password_file has no effect"),
                warnings.get(3));
    }

    @Test
    void serverWideAndIgnoredDirectivesAreNamedToo() throws Exception {
        List<String> warnings = new ArrayList<>();
        ServerConfig bob = withUserFile(MAIN, """
                # comments and blank lines are skipped

                ftpd_banner=Hello Bob
                listen_port=2122
                xferlog_enable=YES
                tcp_wrappers=YES
                local_root=/srv/bob
                """, warnings);
        assertEquals(MAIN.get(CoreDirectives.FTPD_BANNER), bob.get(CoreDirectives.FTPD_BANNER));
        assertEquals(2121, bob.get(CoreDirectives.LISTEN_PORT));
        assertEquals(Optional.of(Path.of("/srv/bob")), bob.get(CoreDirectives.LOCAL_ROOT));
        assertEquals(4, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("/etc/ferry/users/bob:3: ftpd_banner has no effect"), warnings.get(0));
        assertTrue(warnings.get(0).contains("when the client connects"), warnings.get(0));
        assertTrue(warnings.get(1).contains("listen_port has no effect in a user_config_dir file (it is set for the "
                + "whole server"), warnings.get(1));
        assertTrue(warnings.get(2).startsWith("/etc/ferry/users/bob:5: xferlog_enable"), warnings.get(2));
        assertTrue(warnings.get(3).startsWith("tcp_wrappers is ignored: "), warnings.get(3));
        assertTrue(warnings.get(3).endsWith("(set at /etc/ferry/users/bob:6)"), warnings.get(3));
    }

    @Test
    void aFileOfAllowedDirectivesIsQuiet() throws Exception {
        List<String> warnings = new ArrayList<>();
        ServerConfig bob = withUserFile(MAIN, "write_enable=YES\ncmds_denied=DELE\nhide_file={*.mp3,*.mov}\n", warnings);
        assertEquals(List.of(), warnings);
        assertEquals(List.of("DELE"), bob.get(CoreDirectives.CMDS_DENIED));
    }
}
