package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.config.ConfigException;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.config.Source;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ldap_url: logins checked against a real OpenLDAP slapd on loopback (search as a service account,
 * then bind as the user), its groups in access rules, its home and directive attributes, LDAPS and
 * StartTLS with a CA file, and the directory being down.
 */
@Timeout(180)
class LdapLoginIT {

    private static final byte[] DATA = "from an LDAP user\n".getBytes(StandardCharsets.UTF_8);
    private static final String PEOPLE = "ou=people," + Slapd.SUFFIX;
    private static final String SERVICE = "cn=ftp,ou=services," + Slapd.SUFFIX;

    @TempDir
    Path root;
    @TempDir
    Path ldap;
    @TempDir
    Path conf;

    private String ldif() {
        StringBuilder ldif = new StringBuilder("""
                dn: dc=example,dc=org
                objectClass: dcObject
                objectClass: organization
                o: Example
                dc: example

                dn: ou=people,dc=example,dc=org
                objectClass: organizationalUnit
                ou: people

                dn: ou=groups,dc=example,dc=org
                objectClass: organizationalUnit
                ou: groups

                dn: ou=services,dc=example,dc=org
                objectClass: organizationalUnit
                ou: services

                dn: cn=ftp,ou=services,dc=example,dc=org
                objectClass: organizationalRole
                objectClass: simpleSecurityObject
                cn: ftp
                userPassword: service pw

                dn: cn=readers,ou=groups,dc=example,dc=org
                objectClass: groupOfNames
                cn: readers
                member: uid=bob,ou=people,dc=example,dc=org

                dn: cn=staff,ou=groups,dc=example,dc=org
                objectClass: groupOfNames
                cn: staff
                member: uid=alice,ou=people,dc=example,dc=org
                member: uid=carol,ou=people,dc=example,dc=org

                """);
        int uid = 1000;
        for (String[] user : List.of(new String[] {"alice", "home/alice"}, new String[] {"bob", "shared"},
                new String[] {"carol", "shared"})) {
            ldif.append("dn: uid=").append(user[0]).append(',').append(PEOPLE).append('\n')
                    .append("objectClass: inetOrgPerson\nobjectClass: posixAccount\n")
                    .append("uid: ").append(user[0]).append("\ncn: ").append(user[0]).append("\nsn: ").append(user[0])
                    .append("\nuidNumber: ").append(++uid).append("\ngidNumber: ").append(uid)
                    .append("\nhomeDirectory: ").append(root.resolve(user[1]))
                    .append("\ndescription: write_enable=YES")
                    .append("\nuserPassword: ").append(user[0]).append(" pw\n\n");
        }
        return ldif.toString();
    }

    private TestServer.Builder server(String url) throws Exception {
        Path password = conf.resolve("bind-password");
        Files.writeString(password, "service pw\n");
        Path rules = conf.resolve("rules");
        Files.writeString(rules, "\"" + root.resolve("shared") + "\" @readers list,read\n");
        return TestServer.builder().local(root).set("local_enable", "YES").set("delay_failed_login", "0")
                .set("max_login_fails", "0").set("anonymous_enable", "NO")
                .set("ldap_url", url).set("ldap_user_base", PEOPLE)
                .set("ldap_bind_dn", SERVICE).set("ldap_bind_password_file", password.toString())
                .set("ldap_group_base", "ou=groups," + Slapd.SUFFIX)
                .set("ldap_home_attribute", "homeDirectory").set("ldap_directive_attribute", "description")
                .set("access_rules_file", rules.toString()).set("ldap_timeout", "3");
    }

    private static void refused(TestServer server, String name, String password) throws Exception {
        FTPClient client = server.connect();
        assertFalse(client.login(name, password), name);
        assertEquals(530, client.getReplyCode(), name + ": " + client.getReplyString());
        client.disconnect();
    }

    private static FTPClient login(TestServer server, String name) throws Exception {
        FTPClient client = server.connect();
        assertTrue(client.login(name, name + " pw"), name + ": " + client.getReplyString());
        client.enterLocalPassiveMode();
        client.setFileType(FTP.BINARY_FILE_TYPE);
        return client;
    }

    /** Asserts that logging in answers 421 (Commons Net closes on it) and returns how long it took. */
    private static void unavailable(TestServer server, String name, String password) throws Exception {
        FTPClient client = server.connect();
        assertEquals(331, client.user(name));
        assertThrows(FTPConnectionClosedException.class, () -> client.pass(password));
        assertEquals(421, client.getReplyCode(), client.getReplyString());
    }

    @Test
    void usersLogInToTheirHomeWithGroupsAndDirectives() throws Exception {
        Files.createDirectories(root.resolve("home/alice"));
        Files.createDirectories(root.resolve("shared"));
        Files.write(root.resolve("shared/report.txt"), DATA);
        try (Slapd slapd = Slapd.start(ldap, ldif(), null); TestServer server = server(slapd.url()).start()) {
            // home from homeDirectory; write_enable=YES from the description attribute
            FTPClient alice = login(server, "alice");
            assertEquals("/", alice.printWorkingDirectory());
            assertTrue(alice.storeFile("up.txt", new ByteArrayInputStream(DATA)), alice.getReplyString());
            assertArrayEquals(DATA, Files.readAllBytes(root.resolve("home/alice/up.txt")));
            assertArrayEquals(DATA, Clients.retrieve(alice, "up.txt"));
            alice.disconnect();
            // bob is in cn=readers: the rule for @readers makes the shared home read-only
            FTPClient bob = login(server, "bob");
            assertArrayEquals(DATA, Clients.retrieve(bob, "report.txt"));
            assertFalse(bob.storeFile("bob.txt", new ByteArrayInputStream(DATA)));
            assertEquals(553, bob.getReplyCode(), bob.getReplyString());
            bob.disconnect();
            // carol has the same home without the group, so she may write there
            FTPClient carol = login(server, "carol");
            assertTrue(carol.storeFile("carol.txt", new ByteArrayInputStream(DATA)), carol.getReplyString());
            carol.disconnect();
            assertFalse(Files.exists(root.resolve("shared/bob.txt")));
            assertTrue(Files.exists(root.resolve("shared/carol.txt")));

            refused(server, "alice", "wrong");
            refused(server, "nobody", "alice pw");
            // an empty password would be an unauthenticated bind, which slapd answers with success
            refused(server, "alice", "");
            // filter injection: escaped, these names match no entry (unescaped, each would find alice)
            for (String hostile : List.of("*)(uid=*", "alic*", "*", "alice)(|(uid=*", "alice\\2a", "alice)")) {
                refused(server, hostile, "alice pw");
            }
            // the pooled connection was last bound as a user: a login after a refusal still searches as the service
            login(server, "alice").disconnect();
            // LDAP matches uid without regard to case; the session is the entry's alice, in alice's home
            FTPClient upper = server.connect();
            assertTrue(upper.login("ALICE", "alice pw"), upper.getReplyString());
            upper.enterLocalPassiveMode();
            assertArrayEquals(DATA, Clients.retrieve(upper, "up.txt"));
            upper.disconnect();
        }
    }

    @Test
    void loginsReuseOneConnection() throws Exception {
        Files.createDirectories(root.resolve("home/alice"));
        try (Slapd slapd = Slapd.start(ldap, ldif(), null); TestServer server = server(slapd.url()).start()) {
            long before = slapd.accepted();
            for (int i = 0; i < 5; i++) {
                login(server, "alice").disconnect();
                refused(server, "alice", "wrong");
                refused(server, "nobody", "x");
            }
            // one after the other, 15 logins need one connection: bound as the user, then as the service again
            assertEquals(1, slapd.accepted() - before);
        }
    }

    @Test
    void unknownNamesTakeAsLongAsWrongPasswords() throws Exception {
        Files.createDirectories(root.resolve("home/alice"));
        try (Slapd slapd = Slapd.start(ldap, ldif(), null); TestServer server = server(slapd.url()).start()) {
            login(server, "alice").disconnect(); // warm up: the connection pool and the JIT
            List<Long> unknown = new ArrayList<>();
            List<Long> wrong = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                unknown.add(failedLoginMillis(server, "nobody" + i));
                wrong.add(failedLoginMillis(server, "alice"));
            }
            long unknownMedian = median(unknown);
            long wrongMedian = median(wrong);
            // loose on purpose: both are held to the refusal floor (200 ms), far above the directory's own time
            assertTrue(Collections.min(unknown) >= 190 && Collections.min(wrong) >= 190, unknown + " " + wrong);
            assertTrue(Math.abs(unknownMedian - wrongMedian) < 60, "unknown " + unknown + " vs wrong " + wrong);
        }
    }

    private static long failedLoginMillis(TestServer server, String name) throws Exception {
        FTPClient client = server.connect();
        assertEquals(331, client.user(name));
        long start = System.nanoTime();
        assertEquals(530, client.pass("not the password"));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        client.disconnect();
        return millis;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    @Test
    void ldapsAndStartTlsTrustTheCaFile() throws Exception {
        Files.createDirectories(root.resolve("home/alice"));
        Slapd.Tls tls = Slapd.certificate(ldap, "127.0.0.1");
        Slapd.Tls other = Slapd.certificate(conf, "other");
        Slapd.Tls elsewhere = Slapd.certificate(conf, "elsewhere", "DNS:elsewhere.example");
        try (CapturedLog log = new CapturedLog("dev.ferry.server.command.AuthCommands")) {
            // simple binds only over TLS (security strength 128): a bind over plain LDAP would fail
            try (Slapd slapd = Slapd.start(ldap, ldif(), tls, "security simple_bind=128")) {
                try (TestServer server = server(slapd.ldapsUrl()).set("ldap_ca_file", tls.certificate().toString())
                        .start()) {
                    login(server, "alice").disconnect();
                    refused(server, "alice", "wrong");
                }
                try (TestServer server = server(slapd.url()).set("ldap_starttls", "YES")
                        .set("ldap_ca_file", tls.certificate().toString()).start()) {
                    login(server, "alice").disconnect();
                    refused(server, "alice", "wrong");
                }
                // a certificate the CA file does not vouch for, or no TLS where the directory needs it: 421
                try (TestServer server = server(slapd.ldapsUrl()).set("ldap_ca_file", other.certificate().toString())
                        .start()) {
                    unavailable(server, "alice", "alice pw");
                }
                try (TestServer server = server(slapd.url()).set("ldap_starttls", "YES")
                        .set("ldap_ca_file", other.certificate().toString()).start()) {
                    unavailable(server, "alice", "alice pw");
                }
                try (TestServer server = server(slapd.url()).start()) {
                    unavailable(server, "alice", "alice pw");
                }
            }
            // a certificate the CA file trusts, but for another host than the URL's: refused too
            Path second = Files.createDirectory(conf.resolve("second"));
            try (Slapd slapd = Slapd.start(second, ldif(), elsewhere, "security simple_bind=128")) {
                for (String url : List.of(slapd.ldapsUrl(), slapd.url())) {
                    try (TestServer server = server(url).set("ldap_starttls", url.startsWith("ldaps") ? "NO" : "YES")
                            .set("ldap_ca_file", elsewhere.certificate().toString()).start()) {
                        unavailable(server, "alice", "alice pw");
                    }
                }
            }
            // each 421 for its own reason, in the log
            String lines = String.join("\n", log.messages());
            for (String reason : List.of("PKIX path building failed", "confidentiality required",
                    "No subject alternative names matching IP address 127.0.0.1",
                    "does not match the hostname in the server's certificate")) {
                assertTrue(lines.contains(reason), reason + " not in:\n" + lines);
            }
        }
    }

    @Test
    void directoryDownAnswers421AndLogsWhy() throws Exception {
        Files.createDirectories(root.resolve("home/alice"));
        try (Slapd slapd = Slapd.start(ldap, ldif(), null); TestServer server = server(slapd.url()).start();
             CapturedLog log = new CapturedLog("dev.ferry.server.command.AuthCommands")) {
            login(server, "alice").disconnect();
            // the pooled connection dies with the restart: the next login opens a new one
            slapd.restart();
            login(server, "alice").disconnect();
            slapd.stop();
            long start = System.nanoTime();
            unavailable(server, "alice", "alice pw");
            unavailable(server, "nobody", "x");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "took too long");
            List<String> lines = log.await(line -> line.contains("LDAP: cannot reach " + slapd.url()));
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("login of 'alice' refused: LDAP: cannot reach")),
                    lines.toString());
        }
    }

    @Test
    void silentDirectoryTimesOutWith421() throws Exception {
        // accepts the TCP connection (the kernel's backlog) and never answers a byte
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             TestServer server = server("ldap://127.0.0.1:" + silent.getLocalPort()).set("ldap_timeout", "1").start();
             CapturedLog log = new CapturedLog("dev.ferry.server.command.AuthCommands")) {
            long start = System.nanoTime();
            unavailable(server, "alice", "alice pw");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(seconds < 8, "took " + seconds + " s with ldap_timeout=1");
            log.await(line -> line.startsWith("login of 'alice' refused: LDAP:"));
        }
    }

    @Test
    void badLdapSettingsStopTheStartWithFileAndLine() throws Exception {
        Path password = Files.writeString(conf.resolve("pw"), "service pw\n");
        String base = "ldap_user_base=" + PEOPLE + "\n";
        List<String[]> cases = List.of(
                new String[] {"ldap_url=http://127.0.0.1\n" + base, ":1: ldap_url"},
                new String[] {"ldap_url=ldap://127.0.0.1/dc=x?uid\n" + base, ":1: ldap_url"},
                new String[] {"ldap_url=ldap://127.0.0.1\n", ":1: ldap_url needs ldap_user_base"},
                new String[] {"ldap_url=ldaps://127.0.0.1\n" + base + "ldap_starttls=YES\n", ":3: ldap_starttls"},
                new String[] {"ldap_url=ldap://127.0.0.1\n" + base + "ldap_ca_file=" + password + "\n", ":3: ldap_ca_file"},
                new String[] {"ldap_url=ldap://127.0.0.1\n" + base + "ldap_user_filter=uid=%u\n", ":3: ldap_user_filter"},
                new String[] {"ldap_url=ldap://127.0.0.1\n" + base + "ldap_user_filter=(uid=alice)\n", ":3: ldap_user_filter"},
                new String[] {"ldap_url=ldap://127.0.0.1\n" + base + "ldap_bind_dn=" + SERVICE + "\n", ":3: ldap_bind_dn needs"},
                new String[] {"ldap_url=ldap://127.0.0.1\n" + base + "ldap_bind_dn=" + SERVICE
                        + "\nldap_bind_password_file=" + conf.resolve("missing") + "\n", ":4: cannot read ldap_bind_password_file"},
                new String[] {"ldap_url=ldap://127.0.0.1\n" + base + "ldap_timeout=0\n", ":3: ldap_timeout"},
                new String[] {"ldap_url=ldap://127.0.0.1\n" + base + "ldap_pool_size=0\n", ":3: expected a whole number"});
        for (String[] example : cases) {
            Path file = conf.resolve("ferry.conf");
            Files.writeString(file, example[0]);
            ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.load(List.of(Source.file(file))),
                    example[0]);
            assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(example[1]),
                    example[0] + " -> " + e.getMessage());
        }
        Files.writeString(conf.resolve("ok.conf"), "ldap_url=ldap://127.0.0.1:389 ldap://127.0.0.2\n" + base
                + "ldap_bind_dn=" + SERVICE + "\nldap_bind_password_file=" + password + "\n");
        ServerConfig.load(List.of(Source.file(conf.resolve("ok.conf"))));
    }
}
