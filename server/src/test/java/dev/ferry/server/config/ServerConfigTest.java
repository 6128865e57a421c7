package dev.ferry.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.storage.StorageProvider;
import dev.ferry.storage.StorageProvider.Setting;
import dev.ferry.storage.StorageProvider.Setting.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    private static ServerConfig load(String text) throws ConfigException {
        return ServerConfig.load(List.of(Source.text("/etc/ferry.conf", text)));
    }

    private static String error(String text) {
        return assertThrows(ConfigException.class, () -> load(text)).getMessage();
    }

    @Test
    void defaultsWithoutSources() throws ConfigException {
        ServerConfig config = ServerConfig.load(List.of());
        assertEquals(2121, config.get(CoreDirectives.LISTEN_PORT));
        assertTrue(config.get(CoreDirectives.ANONYMOUS_ENABLE));
        assertEquals(Optional.of(Path.of(".")), config.get(CoreDirectives.ANON_ROOT));
        assertEquals("local", config.get(CoreDirectives.STORAGE));
        assertEquals(Optional.empty(), config.get(CoreDirectives.USERS_FILE));
        assertEquals(List.of(), config.warnings());
        assertFalse(config.isSet(CoreDirectives.LISTEN_PORT));
    }

    @Test
    void goodFileGivesTypedValues(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ferry.conf");
        Files.writeString(file, """
                # Ferry test configuration
                listen_port=2200

                anonymous_enable=NO
                local_enable=yes
                write_enable=TRUE
                  pasv_min_port=40000
                pasv_max_port=40100\r
                pasv_address=203.0.113.7
                idle_session_timeout=600
                ftpd_banner=Welcome to the = test # not a comment
                users_file=/etc/ferry/users
                local_root=
                    # an indented comment
                """);
        ServerConfig config = ServerConfig.load(List.of(Source.file(file)));
        assertEquals(2200, config.get(CoreDirectives.LISTEN_PORT));
        assertFalse(config.get(CoreDirectives.ANONYMOUS_ENABLE));
        assertTrue(config.get(CoreDirectives.LOCAL_ENABLE));
        assertTrue(config.get(CoreDirectives.WRITE_ENABLE));
        assertEquals(40000, config.get(CoreDirectives.PASV_MIN_PORT));
        assertEquals(40100, config.get(CoreDirectives.PASV_MAX_PORT));
        assertEquals("203.0.113.7", config.get(CoreDirectives.PASV_ADDRESS));
        assertEquals(Duration.ofMinutes(10), config.get(CoreDirectives.IDLE_SESSION_TIMEOUT));
        assertEquals("Welcome to the = test # not a comment", config.get(CoreDirectives.FTPD_BANNER));
        assertEquals(Optional.of(Path.of("/etc/ferry/users")), config.get(CoreDirectives.USERS_FILE));
        assertEquals(Optional.empty(), config.get(CoreDirectives.LOCAL_ROOT));
        assertEquals(Optional.of(file + ":2"), config.origin(CoreDirectives.LISTEN_PORT));
        assertTrue(config.isSet(CoreDirectives.LOCAL_ROOT));
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void unknownDirectiveNamesFileAndLine() {
        assertEquals("/etc/ferry.conf:3: unknown directive 'listen_prot'; did you mean 'listen_port'?",
                error("# comment\n\nlisten_prot=21\n"));
        assertEquals("/etc/ferry.conf:1: unknown directive 'frobnicate'", error("frobnicate=YES"));
    }

    @Test
    void namesAreCaseSensitiveAsInVsftpd() {
        assertTrue(error("Listen_Port=21").startsWith("/etc/ferry.conf:1: unknown directive 'Listen_Port'"));
    }

    @Test
    void badBoolean() {
        assertEquals("/etc/ferry.conf:2: expected YES or NO (also TRUE/FALSE or 1/0) for write_enable, got 'maybe'",
                error("listen_port=21\nwrite_enable=maybe"));
    }

    @Test
    void inlineCommentsAreNotComments() {
        assertEquals("/etc/ferry.conf:1: expected YES or NO (also TRUE/FALSE or 1/0) for write_enable, "
                + "got 'YES # allow uploads'", error("write_enable=YES # allow uploads"));
    }

    @Test
    void outOfRangeInteger() {
        assertEquals("/etc/ferry.conf:1: expected a whole number from 0 to 65535 for listen_port, got '70000'",
                error("listen_port=70000"));
        assertTrue(error("pasv_min_port=-5").startsWith(
                "/etc/ferry.conf:1: expected a whole number from 0 to 65535 for pasv_min_port"));
    }

    @Test
    void badOctal() {
        assertTrue(error("local_umask=22").contains("vsftpd would read '22' as decimal) for local_umask"));
    }

    @Test
    void spacesAroundEqualsAreRefused() {
        String expected = "/etc/ferry.conf:1: no spaces are allowed around '=' (vsftpd rejects them too); "
                + "write listen_port=21";
        assertEquals(expected, error("listen_port = 21"));
        assertEquals(expected, error("listen_port =21"));
        assertEquals(expected, error("listen_port= 21"));
        assertEquals(expected, error("listen_port\t=21"));
    }

    @Test
    void missingEquals() {
        assertEquals("/etc/ferry.conf:1: missing '=' after 'listen_port'; write listen_port=VALUE",
                error("listen_port"));
        assertEquals("/etc/ferry.conf:2: expected name=value, got 'listen port 21'",
                error("\nlisten port 21"));
        assertEquals("/etc/ferry.conf:1: expected name=value, the name is missing", error("=YES"));
    }

    @Test
    void emptyValue() {
        assertEquals("/etc/ferry.conf:1: missing value for listen_port: expected a whole number from 0 to 65535",
                error("listen_port="));
        assertEquals("/etc/ferry.conf:1: missing value for write_enable: expected YES or NO (also TRUE/FALSE or 1/0)",
                error("write_enable="));
    }

    @Test
    void unreadableFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.conf");
        var e = assertThrows(ConfigException.class, () -> Source.file(missing));
        assertEquals("cannot read config file " + missing + ": no such file", e.getMessage());
        var directory = assertThrows(ConfigException.class, () -> Source.file(dir));
        assertEquals("cannot read config file " + dir + ": it is a directory", directory.getMessage());
    }

    @Test
    void fileThatIsNotUtf8(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.conf");
        Files.write(file, new byte[] {'f', 't', 'p', 'd', '_', 'b', 'a', 'n', 'n', 'e', 'r', '=', (byte) 0xE9});
        var e = assertThrows(ConfigException.class, () -> Source.file(file));
        assertEquals("cannot read config file " + file + ": it is not UTF-8 text", e.getMessage());
    }

    @Test
    void laterSourcesOverrideEarlierOnes() throws ConfigException {
        ServerConfig config = ServerConfig.load(List.of(
                Source.text("/etc/ferry.conf", "listen_port=2200\nwrite_enable=YES\nftpd_banner=first"),
                Source.text("/etc/ferry.d/site.conf", "listen_port=2300\nftpd_banner=second\nftpd_banner=third"),
                Source.overrides(List.of("listen_port=2400"))));
        assertEquals(2400, config.get(CoreDirectives.LISTEN_PORT));
        assertEquals(Optional.of("command line (-o listen_port=2400)"), config.origin(CoreDirectives.LISTEN_PORT));
        assertTrue(config.get(CoreDirectives.WRITE_ENABLE));
        assertEquals("third", config.get(CoreDirectives.FTPD_BANNER));
        assertEquals(Optional.of("/etc/ferry.d/site.conf:3"), config.origin(CoreDirectives.FTPD_BANNER));
    }

    @Test
    void overrideErrorsNameTheOverride() {
        var e = assertThrows(ConfigException.class, () -> ServerConfig.load(List.of(
                Source.text("/etc/ferry.conf", "listen_port=2200"),
                Source.overrides(List.of("write_enable=YES", "listen_port=abc")))));
        assertEquals("command line (-o listen_port=abc): expected a whole number from 0 to 65535 for listen_port, "
                + "got 'abc'", e.getMessage());
        var unknown = assertThrows(ConfigException.class,
                () -> ServerConfig.load(List.of(Source.overrides(List.of("anon_rot=/srv")))));
        assertEquals("command line (-o anon_rot=/srv): unknown directive 'anon_rot'; did you mean 'anon_root'?",
                unknown.getMessage());
        var blank = assertThrows(ConfigException.class,
                () -> ServerConfig.load(List.of(Source.overrides(List.of("#listen_port=1")))));
        assertEquals("command line (-o #listen_port=1): unknown directive '#listen_port'; did you mean 'listen_port'?",
                blank.getMessage());
    }

    @Test
    void ignoredWarnOnceEach() throws ConfigException {
        // no directive is planned any more (debug_ssl, the last one, is supported): only ignored ones warn
        ServerConfig config = ServerConfig.load(List.of(
                Source.text("/etc/vsftpd.conf", """
                        session_support=NO
                        debug_ssl=YES
                        session_support=YES
                        ssl_tlsv1=YES
                        """),
                Source.overrides(List.of("debug_ssl=YES", "listen=YES", "ssl_sslv3=NO"))));
        assertEquals(List.of(
                "session_support is ignored: Ferry checks passwords and accounts through PAM (pam_authenticate, "
                        + "pam_acct_mgmt) but opens no PAM session, since it never switches to the user, and writes "
                        + "no utmp/wtmp records (set at /etc/vsftpd.conf:3)",
                "ssl_tlsv1 is ignored: Ferry never enables SSLv2/v3 or TLS < 1.2 (set at /etc/vsftpd.conf:4)"),
                config.warnings());
    }

    @Test
    void settingWhatFerryDoesAnywayIsSilent() throws ConfigException {
        // listen=YES, ssl_sslv3=NO and anon_upload_enable=NO ask for exactly what Ferry does
        ServerConfig config = load("listen=YES\nssl_sslv3=NO\nanon_upload_enable=NO\nchroot_local_user=YES");
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void passivePortRangeMustBeOrdered() {
        assertEquals("pasv_min_port=50000 (/etc/ferry.conf:1) is greater than pasv_max_port=40000 "
                + "(/etc/ferry.conf:2)", error("pasv_min_port=50000\npasv_max_port=40000"));
        var e = assertThrows(ConfigException.class, () -> ServerConfig.load(List.of(
                Source.text("/etc/ferry.conf", "pasv_max_port=5000"),
                Source.overrides(List.of("pasv_min_port=6000")))));
        assertEquals("pasv_min_port=6000 (command line (-o pasv_min_port=6000)) is greater than "
                + "pasv_max_port=5000 (/etc/ferry.conf:1)", e.getMessage());
    }

    @Test
    void maxPortZeroMeansNoUpperLimit() throws ConfigException {
        assertEquals(50000, load("pasv_min_port=50000").get(CoreDirectives.PASV_MIN_PORT));
    }

    @Test
    void addressesMustBeNumeric() {
        assertEquals("/etc/ferry.conf:1: listen_address must be a numeric IPv4 address such as 192.0.2.10, "
                + "got 'ftp.example.com'", error("listen_address=ftp.example.com"));
        assertTrue(error("pasv_address=256.1.1.1").startsWith("/etc/ferry.conf:1: pasv_address must be a numeric"));
    }

    @Test
    void pasvAddressMayBeANameWithPasvAddrResolve() throws ConfigException {
        ServerConfig config = load("pasv_address=ftp.example.com\npasv_addr_resolve=YES");
        assertEquals("ftp.example.com", config.get(CoreDirectives.PASV_ADDRESS));
    }

    @Test
    void storageMustNotBeEmpty() {
        assertEquals("/etc/ferry.conf:1: storage must name a storage backend", error("storage="));
    }

    private static final List<Setting> BACKEND = List.of(
            new Setting("local_storage_root", Kind.PATH, "", "Directory served by the local backend."),
            new Setting("s3_bucket", Kind.STRING, "", "Bucket."),
            new Setting("s3_path_style", Kind.BOOLEAN, "NO", "Path-style requests."),
            new Setting("s3_part_size", Kind.INTEGER, "8388608", "Multipart part size."));

    @Test
    void backendSettingsAreDirectives() throws ConfigException {
        ServerConfig config = ServerConfig.load(List.of(
                Source.text("/etc/ferry.conf", "storage=s3\ns3_bucket=files\ns3_path_style=YES"),
                Source.overrides(List.of("local_storage_root=/srv", "s3_part_size=16777216"))), BACKEND);
        StorageProvider.Settings settings = config.backendSettings();
        assertEquals("/srv", settings.string("local_storage_root"));
        assertEquals("files", settings.string("s3_bucket"));
        assertTrue(settings.bool("s3_path_style"));
        assertEquals(16_777_216L, settings.integer("s3_part_size"));
        assertEquals("s3", config.get(CoreDirectives.STORAGE));
        assertEquals(List.of(), config.warnings());
        assertThrows(IllegalArgumentException.class, () -> settings.string("s3_region"));
        assertThrows(IllegalArgumentException.class, () -> settings.bool("s3_bucket"));
    }

    @Test
    void backendDefaultsApply() throws ConfigException {
        StorageProvider.Settings settings = ServerConfig.load(List.of(), BACKEND).backendSettings();
        assertEquals("", settings.string("local_storage_root"));
        assertFalse(settings.bool("s3_path_style"));
        assertEquals(8_388_608L, settings.integer("s3_part_size"));
    }

    @Test
    void backendValuesAreChecked() {
        var e = assertThrows(ConfigException.class, () -> ServerConfig.load(
                List.of(Source.overrides(List.of("s3_path_style=sometimes"))), BACKEND));
        assertEquals("command line (-o s3_path_style=sometimes): expected YES or NO (also TRUE/FALSE or 1/0) "
                + "for s3_path_style, got 'sometimes'", e.getMessage());
    }

    @Test
    void backendSettingsMayNotReuseNames() {
        var clash = assertThrows(ConfigException.class, () -> ServerConfig.load(List.of(),
                List.of(new Setting("local_root", Kind.PATH, "", "clash"))));
        assertTrue(clash.getMessage().startsWith("storage provider setting 'local_root' has the name of another"));
        var bad = assertThrows(ConfigException.class, () -> ServerConfig.load(List.of(),
                List.of(new Setting("s3_retries", Kind.INTEGER, "three", "bad default"))));
        assertTrue(bad.getMessage().startsWith("storage provider setting 's3_retries' has a bad default 'three'"));
    }

    @Test
    void getRefusesForeignDirectives() throws ConfigException {
        ServerConfig config = ServerConfig.load(List.of());
        var stranger = new Directive<>("listen_port", new ValueType.Int(0, 10), 1, "other", Directive.Status.SUPPORTED);
        assertThrows(IllegalArgumentException.class, () -> config.get(stranger));
    }
}
