package dev.ferry.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.server.config.Directive.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A vsftpd.conf must always parse in Ferry: every directive vsftpd knows is in the table. */
class VsftpdCompatibilityTest {

    // vsftpd 3.0.3 parseconf.c: parseconf_bool_array
    static final List<String> VSFTPD_BOOLEANS = List.of(
            "anonymous_enable", "local_enable", "pasv_enable", "port_enable", "chroot_local_user",
            "write_enable", "anon_upload_enable", "anon_mkdir_write_enable", "anon_other_write_enable",
            "chown_uploads", "connect_from_port_20", "xferlog_enable", "dirmessage_enable",
            "anon_world_readable_only", "async_abor_enable", "ascii_upload_enable", "ascii_download_enable",
            "one_process_model", "xferlog_std_format", "pasv_promiscuous", "deny_email_enable",
            "chroot_list_enable", "setproctitle_enable", "text_userdb_names", "ls_recurse_enable",
            "log_ftp_protocol", "guest_enable", "userlist_enable", "userlist_deny", "use_localtime",
            "check_shell", "hide_ids", "listen", "port_promiscuous", "passwd_chroot_enable", "no_anon_password",
            "tcp_wrappers", "use_sendfile", "force_dot_files", "listen_ipv6", "dual_log_enable", "syslog_enable",
            "background", "virtual_use_local_privs", "session_support", "download_enable", "dirlist_enable",
            "chmod_enable", "secure_email_list_enable", "run_as_launching_user", "no_log_lock", "ssl_enable",
            "allow_anon_ssl", "force_local_logins_ssl", "force_local_data_ssl", "ssl_sslv2", "ssl_sslv3",
            "ssl_tlsv1", "tilde_user_enable", "force_anon_logins_ssl", "force_anon_data_ssl", "mdtm_write",
            "lock_upload_files", "pasv_addr_resolve", "debug_ssl", "require_cert", "validate_cert",
            "strict_ssl_read_eof", "strict_ssl_write_shutdown", "ssl_request_cert", "delete_failed_uploads",
            "implicit_ssl", "ptrace_sandbox", "require_ssl_reuse", "isolate", "isolate_network", "ftp_enable",
            "http_enable", "seccomp_sandbox", "allow_writeable_chroot");

    // vsftpd 3.0.3 parseconf.c: parseconf_uint_array
    static final List<String> VSFTPD_NUMBERS = List.of(
            "accept_timeout", "connect_timeout", "local_umask", "anon_umask", "ftp_data_port",
            "idle_session_timeout", "data_connection_timeout", "pasv_min_port", "pasv_max_port", "anon_max_rate",
            "local_max_rate", "listen_port", "max_clients", "file_open_mode", "max_per_ip", "trans_chunk_size",
            "delay_failed_login", "delay_successful_login", "max_login_fails", "chown_upload_mode");

    // vsftpd 3.0.3 parseconf.c: parseconf_str_array
    static final List<String> VSFTPD_STRINGS = List.of(
            "secure_chroot_dir", "ftp_username", "chown_username", "xferlog_file", "vsftpd_log_file",
            "message_file", "nopriv_user", "ftpd_banner", "banned_email_file", "chroot_list_file",
            "pam_service_name", "guest_username", "userlist_file", "anon_root", "local_root", "banner_file",
            "pasv_address", "listen_address", "user_config_dir", "listen_address6", "cmds_allowed", "hide_file",
            "deny_file", "user_sub_token", "email_password_file", "rsa_cert_file", "dsa_cert_file", "ssl_ciphers",
            "rsa_private_key_file", "dsa_private_key_file", "ca_certs_file", "cmds_denied", "chdir_after_login");

    // Later upstream releases (TLS version switches) and the distributions' patched vsftpd
    // (Fedora/RHEL: reverse_lookup_enable, userlist_log, dh/ecdh params; Debian/Ubuntu: utf8_filesystem).
    static final List<String> NEWER_AND_DISTRIBUTION = List.of(
            "ssl_tlsv1_1", "ssl_tlsv1_2", "ssl_tlsv1_3", "reverse_lookup_enable", "userlist_log",
            "dh_param_file", "ecdh_param_file", "utf8_filesystem");

    static final List<String> FERRY = List.of("storage", "users_file", "access_rules_file", "deny_users_file",
            "max_sessions_per_user", "max_transfers", "pasv_address_map", "pasv_max_per_ip", "global_max_rate",
            "global_max_download_rate", "global_max_upload_rate", "implicit_ssl_listen_port", "ssl_keystore_file",
            "ssl_keystore_password", "ssl_allow_ccc", "ssl_reuse_same_user",
            // operations: PROXY protocol
            "proxy_protocol", "proxy_protocol_trusted", "pasv_proxy_protocol",
            // operations: metrics and JSON log
            "metrics_enable", "metrics_listen_address", "metrics_listen_port", "json_log_enable", "json_log_file",
            // operations: reload and stop
            "stop_grace_period", "config_watch",
            // hostile clients (issue 17)
            "login_timeout", "pasv_claim_timeout",
            // who may log in (issue 20)
            "auth_program", "auth_program_timeout", "auth_program_max");

    /** Ferry's own: the LDAP login source (issue 20), all supported. */
    static final List<String> LDAP = List.of("ldap_url", "ldap_starttls", "ldap_ca_file", "ldap_bind_dn",
            "ldap_bind_password_file", "ldap_user_base", "ldap_user_filter", "ldap_name_attribute", "ldap_group_base",
            "ldap_group_filter", "ldap_group_name_attribute", "ldap_home_attribute", "ldap_directive_attribute",
            "ldap_timeout", "ldap_pool_size");

    @Test
    void everyVsftpdDirectiveIsRecognised() {
        List<String> missing = Stream.of(VSFTPD_BOOLEANS, VSFTPD_NUMBERS, VSFTPD_STRINGS, NEWER_AND_DISTRIBUTION)
                .flatMap(List::stream)
                .filter(name -> byName(name).isEmpty())
                .toList();
        assertEquals(List.of(), missing);
    }

    @Test
    void theTableHoldsNothingElse() {
        Set<String> known = Stream.of(VSFTPD_BOOLEANS, VSFTPD_NUMBERS, VSFTPD_STRINGS, NEWER_AND_DISTRIBUTION, FERRY,
                        LDAP)
                .flatMap(List::stream).collect(Collectors.toSet());
        List<String> extra = CoreDirectives.ALL.stream().map(Directive::name).filter(n -> !known.contains(n)).toList();
        assertEquals(List.of(), extra);
        assertEquals(known.size(), CoreDirectives.ALL.size());
    }

    @Test
    void vsftpdBooleansAreBooleans() {
        for (String name : VSFTPD_BOOLEANS) {
            assertTrue(byName(name).orElseThrow().type() instanceof ValueType.Bool, name);
        }
        for (String name : VSFTPD_NUMBERS) {
            ValueType<?> type = byName(name).orElseThrow().type();
            assertTrue(type instanceof ValueType.Int || type instanceof ValueType.Octal
                    || type instanceof ValueType.Seconds, name);
        }
    }

    @Test
    void everyVsftpdBooleanAcceptsEverySpelling() throws ConfigException {
        List<String> lines = new ArrayList<>();
        for (String name : VSFTPD_BOOLEANS) {
            lines.add(name + "=yes");
            lines.add(name + "=False");
        }
        ServerConfig.load(List.of(Source.overrides(lines)));
    }

    @Test
    void everyDirectiveAcceptsItsOwnDefault() throws ConfigException {
        List<String> lines = CoreDirectives.ALL.stream()
                .map(d -> d.name() + "=" + d.format(d.defaultValue()))
                .toList();
        ServerConfig config = ServerConfig.load(List.of(Source.text("defaults.conf", String.join("\n", lines))));
        assertEquals(List.of(), config.warnings());
    }

    /** Issue 4: access control. */
    static final Set<String> ACCESS = Set.of("ftp_username", "no_anon_password", "anon_upload_enable",
            "anon_mkdir_write_enable", "anon_other_write_enable", "anon_world_readable_only", "anon_umask",
            "deny_email_enable", "banned_email_file", "secure_email_list_enable", "email_password_file",
            "local_umask", "file_open_mode", "user_sub_token", "user_config_dir", "chroot_local_user",
            "chroot_list_enable", "chroot_list_file", "allow_writeable_chroot", "userlist_enable", "userlist_deny",
            "userlist_file", "userlist_log", "delay_failed_login", "delay_successful_login", "max_login_fails",
            "download_enable", "dirlist_enable", "chmod_enable", "ls_recurse_enable", "force_dot_files", "hide_ids",
            "mdtm_write", "hide_file", "deny_file", "cmds_allowed", "cmds_denied", "dirmessage_enable",
            "message_file", "banner_file", "deny_users_file", "access_rules_file");

    private static Set<String> without(Set<String> names, Set<String> removed) {
        return names.stream().filter(n -> !removed.contains(n)).collect(Collectors.toSet());
    }

    @Test
    void statusesAsDecided() {
        Set<String> supported = CoreDirectives.ALL.stream().filter(d -> d.status() instanceof Status.Supported)
                .map(Directive::name).collect(Collectors.toSet());
        assertEquals(Set.of("listen_port", "listen_address", "listen_ipv6", "anonymous_enable", "anon_root",
                "ascii_upload_enable", "ascii_download_enable", "utf8_filesystem", "async_abor_enable",
                "local_enable", "write_enable", "local_root", "pasv_enable", "pasv_min_port", "pasv_max_port",
                "pasv_address", "port_enable", "pasv_promiscuous", "port_promiscuous", "ftpd_banner",
                "idle_session_timeout", "data_connection_timeout", "storage", "users_file",
                // limits, NAT and logs
                "max_clients", "max_per_ip", "max_sessions_per_user", "max_transfers", "accept_timeout",
                "connect_timeout", "connect_from_port_20", "ftp_data_port", "pasv_addr_resolve", "pasv_address_map",
                "pasv_max_per_ip", "listen_address6", "anon_max_rate", "local_max_rate", "global_max_rate",
                "global_max_download_rate", "global_max_upload_rate", "xferlog_enable", "xferlog_file",
                "xferlog_std_format", "vsftpd_log_file", "dual_log_enable", "syslog_enable", "log_ftp_protocol",
                // FTPS
                "ssl_enable", "implicit_ssl", "implicit_ssl_listen_port", "rsa_cert_file", "rsa_private_key_file",
                "ssl_keystore_file", "ssl_keystore_password", "ssl_tlsv1_2", "ssl_tlsv1_3", "ssl_ciphers",
                "force_local_logins_ssl", "force_local_data_ssl", "allow_anon_ssl", "force_anon_logins_ssl",
                "force_anon_data_ssl", "require_ssl_reuse", "ssl_request_cert", "require_cert", "validate_cert",
                "ca_certs_file", "ssl_allow_ccc", "ssl_reuse_same_user", "strict_ssl_read_eof",
                "strict_ssl_write_shutdown", "debug_ssl",
                // operations: PROXY protocol
                "proxy_protocol", "proxy_protocol_trusted", "pasv_proxy_protocol",
                // operations: metrics and JSON log
                "metrics_enable", "metrics_listen_address", "metrics_listen_port", "json_log_enable",
                "json_log_file",
                // operations: reload and stop
                "stop_grace_period", "config_watch",
                // hostile clients (issue 17)
                "login_timeout", "pasv_claim_timeout",
                // who may log in (issue 20)
                "pam_service_name", "auth_program", "auth_program_timeout", "auth_program_max",
                // virtual users and the rest of vsftpd's table (issue 20)
                "guest_enable", "guest_username", "virtual_use_local_privs", "chown_uploads", "chown_username",
                "chown_upload_mode", "use_localtime", "tilde_user_enable"),
                without(without(supported, ACCESS), Set.copyOf(LDAP)));
        assertTrue(supported.containsAll(ACCESS), "access control directives are supported");
        assertTrue(supported.containsAll(LDAP), "LDAP directives are supported");
        for (String name : List.of("listen", "background", "seccomp_sandbox", "isolate",
                "isolate_network", "secure_chroot_dir", "nopriv_user", "one_process_model", "run_as_launching_user",
                "session_support", "setproctitle_enable", "tcp_wrappers", "check_shell", "use_sendfile",
                "no_log_lock", "dsa_cert_file", "dsa_private_key_file", "ssl_sslv2", "ssl_sslv3", "ssl_tlsv1",
                "ssl_tlsv1_1", "chdir_after_login")) {
            assertTrue(byName(name).orElseThrow().status() instanceof Status.Ignored, name);
        }
    }

    @Test
    void helpSaysWhereFerryDiffersFromVsftpd() {
        assertTrue(CoreDirectives.LISTEN_PORT.help().contains("vsftpd's 21"));
        assertTrue(CoreDirectives.ANON_ROOT.help().contains("working directory"));
        assertTrue(CoreDirectives.ASYNC_ABOR_ENABLE.help().contains("ABOR always works in Ferry"));
        for (Directive<?> d : CoreDirectives.ALL) {
            assertFalse(d.help().isBlank(), d.name());
        }
    }

    /**
     * The active lines of Debian's stock /etc/vsftpd.conf (bookworm), with its commented-out
     * suggestions, which admins uncomment one by one. Comments here are shortened.
     */
    static final String DEBIAN_VSFTPD_CONF = """
            # Example config file /etc/vsftpd.conf
            #
            # Run standalone?  vsftpd can run either from an inetd or as a standalone daemon.
            listen=NO
            #
            # This directive enables listening on IPv6 sockets.
            listen_ipv6=YES
            #
            # Allow anonymous FTP? (Disabled by default).
            anonymous_enable=NO
            #
            # Uncomment this to allow local users to log in.
            local_enable=YES
            #
            # Uncomment this to enable any form of FTP write command.
            #write_enable=YES
            #
            # Default umask for local users is 077.
            #local_umask=022
            #
            #anon_upload_enable=YES
            #anon_mkdir_write_enable=YES
            #
            # Activate directory messages.
            dirmessage_enable=YES
            #
            # If enabled, vsftpd will display directory listings with the time in your local time zone.
            use_localtime=YES
            #
            # Activate logging of uploads/downloads.
            xferlog_enable=YES
            #
            # Make sure PORT transfer connections originate from port 20 (ftp-data).
            connect_from_port_20=YES
            #
            #chown_uploads=YES
            #chown_username=whoever
            #xferlog_file=/var/log/vsftpd.log
            #xferlog_std_format=YES
            #idle_session_timeout=600
            #data_connection_timeout=120
            #nopriv_user=ftpsecure
            #async_abor_enable=YES
            #ascii_upload_enable=YES
            #ascii_download_enable=YES
            #ftpd_banner=Welcome to blah FTP service.
            #deny_email_enable=YES
            #banned_email_file=/etc/vsftpd.banned_emails
            #chroot_local_user=YES
            #chroot_list_enable=YES
            #chroot_list_file=/etc/vsftpd.chroot_list
            #ls_recurse_enable=YES
            #
            # This option should be the name of a directory which is empty.
            secure_chroot_dir=/var/run/vsftpd/empty
            #
            # This string is the name of the PAM service vsftpd will use.
            pam_service_name=vsftpd
            #
            # This option specifies the location of the RSA certificate to use for SSL encrypted connections.
            rsa_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem
            rsa_private_key_file=/etc/ssl/private/ssl-cert-snakeoil.key
            ssl_enable=NO
            #
            # Uncomment this to indicate that vsftpd use a utf8 filesystem.
            #utf8_filesystem=YES
            """;

    @Test
    void debiansDefaultConfigLoads() throws ConfigException {
        ServerConfig config = ServerConfig.load(List.of(Source.text("/etc/vsftpd.conf", DEBIAN_VSFTPD_CONF)));
        assertTrue(config.get(CoreDirectives.LISTEN_IPV6));
        assertFalse(config.get(CoreDirectives.ANONYMOUS_ENABLE));
        assertTrue(config.get(CoreDirectives.LOCAL_ENABLE));
        List<String> warned = config.warnings().stream().map(w -> w.substring(0, w.indexOf(' '))).toList();
        assertEquals(List.of("listen", "secure_chroot_dir"), warned);
    }

    @Test
    void debiansSuggestionsLoadWhenUncommented() throws ConfigException {
        String uncommented = DEBIAN_VSFTPD_CONF.lines()
                .map(line -> line.matches("#[a-z_0-9]+=.*") ? line.substring(1) : line)
                .collect(Collectors.joining("\n"));
        ServerConfig config = ServerConfig.load(List.of(Source.text("/etc/vsftpd.conf", uncommented)));
        assertTrue(config.get(CoreDirectives.WRITE_ENABLE));
        assertEquals("Welcome to blah FTP service.", config.get(CoreDirectives.FTPD_BANNER));
        assertTrue(config.get(CoreDirectives.UTF8_FILESYSTEM));
    }

    private static Optional<Directive<?>> byName(String name) {
        return CoreDirectives.ALL.stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
