package dev.ferry.server.config;

import dev.ferry.server.config.Directive.Status;
import dev.ferry.server.address.Cidr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The one directive table: every directive of vsftpd 3.0 (the bool, uint and string tables of its
 * parseconf.c, defaults from tunables.c), the few that distributions patched in and that turn up in
 * their default files, and Ferry's own. A vsftpd.conf therefore always parses; what Ferry does with
 * each line is its {@link Status}.
 *
 * <p>Defaults are vsftpd's unless the help says otherwise. For {@code IGNORED} directives the default
 * is what Ferry always does, so a file that asks for exactly that is not warned about.
 */
public final class CoreDirectives {

    // Registration list, filled in declaration order by the factory methods below; it must be
    // declared before the first directive so it exists when their initialisers run.
    private static final List<Directive<?>> TABLE = new ArrayList<>();

    private static final Status SUPPORTED = Status.SUPPORTED;

    private static final String NO_PAM_SESSION = "Ferry checks passwords and accounts through PAM "
            + "(pam_authenticate, pam_acct_mgmt) but opens no PAM session, since it never switches to the user";
    private static final String CONFINED = "Ferry always confines a session to its root directory "
            + "(anon_root, local_root or the users_file home) through the storage layer, without chroot(2)";
    private static final String ONE_PROCESS = "Ferry runs every session as a virtual thread in one JVM process "
            + "and never changes user; use your service manager or container to sandbox it";
    private static final String OLD_TLS = "Ferry never enables SSLv2/v3 or TLS < 1.2";
    private static final String JSSE = "Ferry's TLS is the JDK's (JSSE), which picks key exchange groups itself";

    // ---- Supported: network ----

    public static final Directive<Integer> LISTEN_PORT = number("listen_port", 2121, 0, 65535, SUPPORTED,
            "Port for incoming control connections. Ferry's default is 2121, not vsftpd's 21, so it runs "
                    + "without root; 0 picks a free port.");
    public static final Directive<String> LISTEN_ADDRESS = text("listen_address", "", SUPPORTED,
            "Numeric IPv4 address to listen on; empty listens on all interfaces.");
    public static final Directive<Boolean> LISTEN_IPV6 = flag("listen_ipv6", false, SUPPORTED,
            "Listen on the IPv6 wildcard address (which also accepts IPv4 where the OS allows it) "
                    + "instead of IPv4 only.");
    public static final Directive<Boolean> PASV_ENABLE = flag("pasv_enable", true, SUPPORTED,
            "Allow passive mode data connections (PASV, EPSV).");
    public static final Directive<Integer> PASV_MIN_PORT = number("pasv_min_port", 0, 0, 65535, SUPPORTED,
            "Lowest port for passive data connections; 0 with pasv_max_port 0: any free port of the OS's "
                    + "ephemeral range (Linux: ip_local_port_range), picked at random as vsftpd does. "
                    + "vsftpd 3.0 defaults to 5001; Ferry's default 0 leaves the range to the OS.");
    public static final Directive<Integer> PASV_MAX_PORT = number("pasv_max_port", 0, 0, 65535, SUPPORTED,
            "Highest port for passive data connections; 0 means no upper limit.");
    public static final Directive<String> PASV_ADDRESS = text("pasv_address", "", SUPPORTED,
            "Numeric IPv4 address to announce in PASV replies (for servers behind NAT); empty announces "
                    + "the address the control connection arrived on.");
    public static final Directive<Boolean> PORT_ENABLE = flag("port_enable", true, SUPPORTED,
            "Allow active mode data connections (PORT, EPRT).");
    public static final Directive<Boolean> PASV_PROMISCUOUS = flag("pasv_promiscuous", false, SUPPORTED,
            "Accept a passive data connection from any address, not only the control connection's. "
                    + "Turning this on weakens security (FTP bounce and data theft).");
    public static final Directive<Boolean> PORT_PROMISCUOUS = flag("port_promiscuous", false, SUPPORTED,
            "Allow PORT/EPRT to name an address other than the client's. Turning this on allows FTP "
                    + "bounce attacks.");
    public static final Directive<Duration> IDLE_SESSION_TIMEOUT = seconds("idle_session_timeout", 300, SUPPORTED,
            "Seconds a client may stay idle between commands before it is disconnected; 0 never.");
    public static final Directive<Duration> DATA_CONNECTION_TIMEOUT = seconds("data_connection_timeout", 300,
            SUPPORTED, "Seconds a data transfer may stall (no byte moves) before it is aborted; 0 never.");

    // ---- Supported: operations: PROXY protocol ----

    public static final Directive<Boolean> PROXY_PROTOCOL = flag("proxy_protocol", false, SUPPORTED,
            "Ferry only: every control connection starts with a PROXY protocol header (version 1 or 2, "
                    + "told apart by its first bytes) from a load balancer such as HAProxy, and the client address "
                    + "it names counts everywhere: max_per_ip, the logs, PORT/EPRT bounce protection and the "
                    + "passive data connection check. Connections from outside proxy_protocol_trusted, and "
                    + "malformed headers, are logged and closed without a reply. A LOCAL or UNKNOWN header (the "
                    + "balancer's health checks) keeps the balancer's address.");
    public static final Directive<List<Cidr>> PROXY_PROTOCOL_TRUSTED = networks("proxy_protocol_trusted",
            SUPPORTED, "Ferry only: the load balancers allowed to send PROXY protocol headers, as comma-separated "
                    + "numeric addresses or CIDR networks such as 10.0.0.5,10.1.0.0/24. Must be set when "
                    + "proxy_protocol or pasv_proxy_protocol is: Ferry refuses to start otherwise, as a header "
                    + "from anybody could claim any address.");
    public static final Directive<Boolean> PASV_PROXY_PROTOCOL = flag("pasv_proxy_protocol", false, SUPPORTED,
            "Ferry only: passive data connections start with a PROXY protocol header too (the balancer "
                    + "forwards the passive ports with send-proxy-v2), and its client address must be the control "
                    + "connection's unless pasv_promiscuous is set. Without it, passive connections through a "
                    + "balancer come from the balancer's address and need pasv_promiscuous.");

    // ---- Supported: admission, timeouts, data channel ----

    public static final Directive<Integer> MAX_CLIENTS = number("max_clients", 2000, 0, Integer.MAX_VALUE, SUPPORTED,
            "Most clients connected at once; one more reads '421 There are too many connected users, please "
                    + "try later.' and is disconnected. 0 means no limit.");
    public static final Directive<Integer> MAX_PER_IP = number("max_per_ip", 50, 0, Integer.MAX_VALUE, SUPPORTED,
            "Most clients connected at once from one address; one more reads '421 There are too many "
                    + "connections from your internet address.' 0 means no limit.");
    public static final Directive<Integer> MAX_SESSIONS_PER_USER = number("max_sessions_per_user", 0, 0,
            Integer.MAX_VALUE, SUPPORTED, "Ferry only: most sessions logged in at once as one users_file user; "
                    + "one more login is refused with 530 and may be retried. Anonymous sessions are bounded by "
                    + "max_clients and max_per_ip instead. 0 means no limit.");
    public static final Directive<Integer> MAX_TRANSFERS = number("max_transfers", 0, 0, Integer.MAX_VALUE, SUPPORTED,
            "Ferry only: most data transfers (downloads, uploads and listings) running at once on the whole "
                    + "server; one more is refused with '425 Too many transfers in progress, please try later.' "
                    + "and the session goes on. 0 means no limit.");
    public static final Directive<Duration> ACCEPT_TIMEOUT = seconds("accept_timeout", 60, SUPPORTED,
            "Seconds to wait for a client to open a passive data connection before replying 425.");
    public static final Directive<Duration> CONNECT_TIMEOUT = seconds("connect_timeout", 60, SUPPORTED,
            "Seconds to wait while connecting to an active mode (PORT, EPRT) client before replying 425.");
    public static final Directive<Boolean> CONNECT_FROM_PORT_20 = flag("connect_from_port_20", false, SUPPORTED,
            "Make active mode data connections from ftp_data_port, as some client firewalls expect. Ports "
                    + "below 1024 need root or CAP_NET_BIND_SERVICE; without them Ferry logs a warning and "
                    + "connects from any port.");
    public static final Directive<Integer> FTP_DATA_PORT = number("ftp_data_port", 20, 0, 65535, SUPPORTED,
            "Source port of active mode data connections when connect_from_port_20 is set.");
    public static final Directive<Boolean> PASV_ADDR_RESOLVE = flag("pasv_addr_resolve", false, SUPPORTED,
            "Let pasv_address be a host name. It is resolved at startup (an unknown name stops the server) "
                    + "and again when the JVM's DNS cache expires (networkaddress.cache.ttl, 30 s by default), "
                    + "so a dynamic DNS name follows a changing public address; a failed lookup keeps the last "
                    + "address.");
    public static final Directive<String> PASV_ADDRESS_MAP = text("pasv_address_map", "", SUPPORTED,
            "Ferry only: the address PASV announces, chosen by the client's network, as comma-separated "
                    + "CIDR=address pairs, first match wins, e.g. 10.0.0.0/8=10.0.0.5,192.168.0.0/16=192.168.1.5. "
                    + "Clients in none of them get pasv_address (or the control connection's address).");
    public static final Directive<Integer> PASV_MAX_PER_IP = number("pasv_max_per_ip", 0, 0, Integer.MAX_VALUE,
            SUPPORTED, "Ferry only: most passive listeners waiting for a data connection at once for clients of "
                    + "one address, so a PASV flood cannot take every port of pasv_min_port..pasv_max_port (a "
                    + "session holds one at a time anyway). 0: half of that range when one is set, no limit "
                    + "when the OS picks the ports.");
    public static final Directive<String> LISTEN_ADDRESS6 = text("listen_address6", "", SUPPORTED,
            "Numeric IPv6 address to listen on when listen_ipv6 is set; empty listens on all interfaces "
                    + "(and IPv4 too where the OS allows dual stack).");

    // ---- Supported: rate limits ----

    public static final Directive<Integer> ANON_MAX_RATE = number("anon_max_rate", 0, 0, Integer.MAX_VALUE, SUPPORTED,
            "Most bytes per second for each anonymous session, downloads, uploads and listings; 0 unlimited.");
    public static final Directive<Integer> LOCAL_MAX_RATE = number("local_max_rate", 0, 0, Integer.MAX_VALUE, SUPPORTED,
            "Most bytes per second for each local user session; 0 unlimited. A user_config_dir file may "
                    + "set it per user.");
    public static final Directive<Integer> GLOBAL_MAX_RATE = number("global_max_rate", 0, 0, Integer.MAX_VALUE,
            SUPPORTED, "Ferry only: most bytes per second for all sessions together, both directions, shared "
                    + "fairly between the transfers running; 0 unlimited.");
    public static final Directive<Integer> GLOBAL_MAX_DOWNLOAD_RATE = number("global_max_download_rate", 0, 0,
            Integer.MAX_VALUE, SUPPORTED, "Ferry only: like global_max_rate, for downloads and listings only.");
    public static final Directive<Integer> GLOBAL_MAX_UPLOAD_RATE = number("global_max_upload_rate", 0, 0,
            Integer.MAX_VALUE, SUPPORTED, "Ferry only: like global_max_rate, for uploads only.");

    // ---- Supported: logs ----

    public static final Directive<Boolean> XFERLOG_ENABLE = flag("xferlog_enable", false, SUPPORTED,
            "Log every upload and download: to vsftpd_log_file in vsftpd's format, or with "
                    + "xferlog_std_format to xferlog_file in wu-ftpd's xferlog format.");
    public static final Directive<Optional<Path>> XFERLOG_FILE = path("xferlog_file", "/var/log/xferlog", SUPPORTED,
            "The transfer log in wu-ftpd xferlog format (with xferlog_std_format or dual_log_enable).");
    public static final Directive<Boolean> XFERLOG_STD_FORMAT = flag("xferlog_std_format", false, SUPPORTED,
            "Write the transfer log to xferlog_file in the standard xferlog format instead of vsftpd_log_file.");
    public static final Directive<Optional<Path>> VSFTPD_LOG_FILE = path("vsftpd_log_file", "/var/log/vsftpd.log",
            SUPPORTED, "Log file in vsftpd's own format: connections, logins, transfers, directory changes and, "
                    + "with log_ftp_protocol, the protocol. Ferry writes the session id where vsftpd writes "
                    + "the process id.");
    public static final Directive<Boolean> DUAL_LOG_ENABLE = flag("dual_log_enable", false, SUPPORTED,
            "Write both xferlog_file and vsftpd_log_file.");
    public static final Directive<Boolean> SYSLOG_ENABLE = flag("syslog_enable", false, SUPPORTED,
            "Send the vsftpd_log_file lines to the logger 'dev.ferry.syslog' instead of the file; route it to "
                    + "syslog with the logging backend (e.g. logback's SyslogAppender).");
    public static final Directive<Boolean> LOG_FTP_PROTOCOL = flag("log_ftp_protocol", false, SUPPORTED,
            "Log every FTP command and reply to vsftpd_log_file (or syslog); passwords are written as "
                    + "'PASS <password>'.");

    // ---- Supported: operations: metrics and JSON log ----

    public static final Directive<Boolean> METRICS_ENABLE = flag("metrics_enable", false, SUPPORTED,
            "Ferry only: serve Prometheus metrics (sessions, logins, commands, transfers, rate-limit waits, "
                    + "passive ports, storage calls, JVM) over HTTP at /metrics on metrics_listen_address:"
                    + "metrics_listen_port. See README, Operations.");
    public static final Directive<String> METRICS_LISTEN_ADDRESS = text("metrics_listen_address", "127.0.0.1",
            SUPPORTED, "Ferry only: address (IPv4 or IPv6) the metrics listener binds to; the default keeps "
                    + "metrics on the machine itself, 0.0.0.0 offers them to every network.");
    public static final Directive<Integer> METRICS_LISTEN_PORT = number("metrics_listen_port", 9121, 0, 65535,
            SUPPORTED, "Ferry only: port of the metrics listener (with metrics_enable); 0 picks a free port.");
    public static final Directive<Boolean> JSON_LOG_ENABLE = flag("json_log_enable", false, SUPPORTED,
            "Ferry only: log every command with its final reply as one JSON object per line (session, user, "
                    + "client, command with the PASS argument hidden, reply, and for transfers bytes and duration), "
                    + "to json_log_file, or when that is empty to the logger 'dev.ferry.json' for the logging "
                    + "backend to route.");
    public static final Directive<Optional<Path>> JSON_LOG_FILE = path("json_log_file", "", SUPPORTED,
            "Ferry only: the file json_log_enable appends to, written with logback's JSON encoder; empty leaves "
                    + "the 'dev.ferry.json' logger to the logging configuration.");

    // ---- Supported: logins and access ----

    public static final Directive<Boolean> ANONYMOUS_ENABLE = flag("anonymous_enable", true, SUPPORTED,
            "Allow anonymous logins (user names anonymous and ftp).");
    public static final Directive<Optional<Path>> ANON_ROOT = path("anon_root", ".", SUPPORTED,
            "Directory anonymous users see as /. Ferry's default '.' is the working directory; vsftpd "
                    + "uses the home directory of the ftp system user.");
    public static final Directive<Boolean> LOCAL_ENABLE = flag("local_enable", false, SUPPORTED,
            "Allow logins by the users in users_file.");
    public static final Directive<Optional<Path>> LOCAL_ROOT = path("local_root", "", SUPPORTED,
            "Directory local users see as / when their users_file line names no home.");
    public static final Directive<Boolean> WRITE_ENABLE = flag("write_enable", false, SUPPORTED,
            "Allow commands that change the storage (STOR, DELE, MKD, RMD, RNFR/RNTO, ...).");
    public static final Directive<String> FTPD_BANNER = text("ftpd_banner", "", SUPPORTED,
            "Greeting sent in the 220 reply; empty sends Ferry's default greeting.");

    // ---- Supported: transfers ----

    public static final Directive<Boolean> ASCII_UPLOAD_ENABLE = flag("ascii_upload_enable", false, SUPPORTED,
            "Convert CRLF to LF in uploads made in ASCII mode (TYPE A); off stores the bytes as sent.");
    public static final Directive<Boolean> ASCII_DOWNLOAD_ENABLE = flag("ascii_download_enable", false, SUPPORTED,
            "Convert LF to CRLF in downloads made in ASCII mode (TYPE A); off sends the bytes as stored.");
    public static final Directive<Boolean> UTF8_FILESYSTEM = flag("utf8_filesystem", true, SUPPORTED,
            "File names are UTF-8 (RFC 2640): advertise UTF8 in FEAT and accept OPTS UTF8 ON. Added by "
                    + "Debian's and Ubuntu's vsftpd patches, where it defaults to NO; Ferry's storage names are "
                    + "Unicode (S3 keys are UTF-8), so Ferry defaults to YES.");
    public static final Directive<Boolean> ASYNC_ABOR_ENABLE = flag("async_abor_enable", true, SUPPORTED,
            "ABOR always works in Ferry: a transfer that can wait runs on its own thread while the control "
                    + "connection keeps reading (a small plain download that fits the socket at once is over before "
                    + "the next command is read, and an ABOR then gets 225); vsftpd needs this set for clients that "
                    + "send ABOR urgently. Accepted for compatibility; either value behaves the same.");

    // ---- Supported: access control (anonymous and local users, listings, login hardening) ----

    public static final Directive<String> FTP_USERNAME = text("ftp_username", "ftp", SUPPORTED,
            "Second login name for anonymous users besides 'anonymous' (vsftpd's default 'ftp'); also the owner "
                    + "shown in anonymous listings. vsftpd takes the anonymous root from this system user's home; "
                    + "Ferry takes it from anon_root.");
    public static final Directive<Boolean> NO_ANON_PASSWORD = flag("no_anon_password", false, SUPPORTED,
            "Log anonymous users in at USER, without asking for a password (e-mail address).");
    public static final Directive<Boolean> ANON_UPLOAD_ENABLE = flag("anon_upload_enable", false, SUPPORTED,
            "Allow anonymous users to upload new files (also needs write_enable). They never replace an "
                    + "existing file unless anon_other_write_enable is set.");
    public static final Directive<Boolean> ANON_MKDIR_WRITE_ENABLE = flag("anon_mkdir_write_enable", false,
            SUPPORTED, "Allow anonymous users to create directories (also needs write_enable).");
    public static final Directive<Boolean> ANON_OTHER_WRITE_ENABLE = flag("anon_other_write_enable", false,
            SUPPORTED, "Allow anonymous users to delete, rename, overwrite and append to files and to set "
                    + "modification times (also needs write_enable).");
    public static final Directive<Boolean> ANON_WORLD_READABLE_ONLY = flag("anon_world_readable_only", true,
            SUPPORTED, "Only let anonymous users download files that are readable by everybody (mode o+r). "
                    + "Applies where the storage has Unix modes (local disk); other storages have no modes to check.");
    public static final Directive<Integer> ANON_UMASK = mode("anon_umask", 077, 0777, SUPPORTED,
            "Umask for files and directories anonymous users create, where the storage has Unix modes.");
    public static final Directive<Boolean> DENY_EMAIL_ENABLE = flag("deny_email_enable", false, SUPPORTED,
            "Refuse anonymous logins whose password (e-mail address) is listed in banned_email_file.");
    public static final Directive<Optional<Path>> BANNED_EMAIL_FILE = path("banned_email_file",
            "/etc/vsftpd.banned_emails", SUPPORTED,
            "Anonymous passwords refused with deny_email_enable, one a line; read at startup.");
    public static final Directive<Boolean> SECURE_EMAIL_LIST_ENABLE = flag("secure_email_list_enable", false,
            SUPPORTED, "Only accept the anonymous passwords listed in email_password_file.");
    public static final Directive<Optional<Path>> EMAIL_PASSWORD_FILE = path("email_password_file",
            "/etc/vsftpd.email_passwords", SUPPORTED,
            "Anonymous passwords accepted with secure_email_list_enable, one a line; read at startup.");
    public static final Directive<Integer> LOCAL_UMASK = mode("local_umask", 077, 0777, SUPPORTED,
            "Umask for files and directories local users create, where the storage has Unix modes.");
    public static final Directive<Integer> FILE_OPEN_MODE = mode("file_open_mode", 0666, 07777, SUPPORTED,
            "Mode of uploaded files before the umask is applied, where the storage has Unix modes; only "
                    + "the permission bits (0777) are used.");
    public static final Directive<String> USER_SUB_TOKEN = text("user_sub_token", "", SUPPORTED,
            "Text replaced by the user name in local_root, e.g. $USER with local_root=/srv/ftp/$USER.");
    public static final Directive<Boolean> USE_LOCALTIME = flag("use_localtime", false, SUPPORTED,
            "Show times in LIST, STAT and MDTM (and read MDTM's setting form) in the server's time zone "
                    + "instead of UTC, as vsftpd does. MLSD, MLST and MFMT stay UTC, as RFC 3659 requires.");
    public static final Directive<Boolean> TILDE_USER_ENABLE = flag("tilde_user_enable", false, SUPPORTED,
            "Let ~name in a path stand for that user's home (users_file's, else the system account's), when it "
                    + "lies inside the session's jail, as vsftpd does; ~ and ~/ always stand for the directory the "
                    + "session started in.");
    // vsftpd's chown_uploads (postlogin.c; main.c checks chown_username at startup)
    public static final Directive<Boolean> CHOWN_UPLOADS = flag("chown_uploads", false, SUPPORTED,
            "Give every file an anonymous session uploads (and a guest's without virtual_use_local_privs) to "
                    + "chown_username with chown_upload_mode, from its first byte. Needs a storage with Unix owners "
                    + "(local) and Ferry running as root or with CAP_CHOWN; checked at startup.");
    public static final Directive<String> CHOWN_USERNAME = text("chown_username", "root", SUPPORTED,
            "System account that owns anonymous uploads when chown_uploads is set; must exist.");
    public static final Directive<Integer> CHOWN_UPLOAD_MODE = mode("chown_upload_mode", 0600, 07777, SUPPORTED,
            "Mode of anonymous uploads when chown_uploads is set, as it is (no umask); setuid, setgid and sticky "
                    + "bits are never given.");
    // vsftpd's virtual users: twoprocess.c, common_do_login and calculate_chdir_dir
    public static final Directive<Boolean> GUEST_ENABLE = flag("guest_enable", false, SUPPORTED,
            "Virtual users: every non-anonymous login (users_file, PAM, auth_program...) is mapped to the "
                    + "guest_username account: its home (or local_root), jailed, with the anonymous rights and "
                    + "settings (anon_upload_enable, anon_umask, anon_max_rate...) unless virtual_use_local_privs. "
                    + "user_config_dir files and user_sub_token use the name the user logged in with.");
    public static final Directive<String> GUEST_USERNAME = text("guest_username", "ftp", SUPPORTED,
            "System account guest logins are mapped to (guest_enable): their home is its home directory, with "
                    + "user_sub_token replaced, unless local_root is set. As in vsftpd, it must exist when "
                    + "guest_enable is set; Ferry does not switch to its user ID.");
    public static final Directive<Boolean> VIRTUAL_USE_LOCAL_PRIVS = flag("virtual_use_local_privs", false,
            SUPPORTED, "Give guest users the local users' rights and settings (write_enable, local_umask, "
                    + "local_max_rate, chroot_local_user) instead of the anonymous ones.");
    public static final Directive<Optional<Path>> USER_CONFIG_DIR = path("user_config_dir", "", SUPPORTED,
            "Directory of per-user config files named after the user (anonymous users: ftp_username), in "
                    + "this file's syntax, read at login; what they set overrides this file for that session "
                    + "(local_root, write_enable, cmds_allowed, anon_*, ...). A missing file changes nothing. Lines "
                    + "that act before the login succeeds (user and e-mail lists, ...), when the client connects or "
                    + "for the whole server are left out, with a warning naming file and line.");
    public static final Directive<Boolean> CHROOT_LOCAL_USER = flag("chroot_local_user", true, SUPPORTED,
            "Jail local users in their home directory, which they see as /. With chroot_list_enable the "
                    + "users in chroot_list_file are not jailed: they see the storage's root, starting in their "
                    + "home. Ferry's default is YES (vsftpd's is NO); the jail is Ferry's own, not chroot(2).");
    public static final Directive<Boolean> CHROOT_LIST_ENABLE = flag("chroot_list_enable", false, SUPPORTED,
            "Read chroot_list_file: the users not jailed when chroot_local_user=YES, or the only users jailed "
                    + "when chroot_local_user=NO.");
    public static final Directive<Optional<Path>> CHROOT_LIST_FILE = path("chroot_list_file",
            "/etc/vsftpd.chroot_list", SUPPORTED, "The chroot list, one user name a line; read at startup.");
    public static final Directive<Boolean> ALLOW_WRITEABLE_CHROOT = flag("allow_writeable_chroot", true, SUPPORTED,
            "Let a jailed user log in although they may write to the root of their jail. NO refuses such "
                    + "logins like vsftpd (500 OOPS). Ferry's default is YES (vsftpd's is NO): its jail is not "
                    + "chroot(2), so a writable root opens no way out.");
    public static final Directive<Boolean> USERLIST_ENABLE = flag("userlist_enable", false, SUPPORTED,
            "Check login names against userlist_file at USER, before a password is asked for.");
    public static final Directive<Boolean> USERLIST_DENY = flag("userlist_deny", true, SUPPORTED,
            "YES: names in userlist_file are refused at USER (530 Permission denied.); NO: only they may log in.");
    public static final Directive<Optional<Path>> USERLIST_FILE = path("userlist_file", "/etc/vsftpd.user_list",
            SUPPORTED, "The user list for userlist_enable, one name a line; read at startup.");
    public static final Directive<Boolean> USERLIST_LOG = flag("userlist_log", false, SUPPORTED,
            "Fedora's vsftpd: log logins refused by the user list at info level (otherwise at debug level).");
    public static final Directive<Integer> DELAY_FAILED_LOGIN = number("delay_failed_login", 1, 0, 3600, SUPPORTED,
            "Seconds to wait before answering a failed login. Only the session waits; other sessions go on.");
    public static final Directive<Integer> DELAY_SUCCESSFUL_LOGIN = number("delay_successful_login", 0, 0, 3600,
            SUPPORTED, "Seconds to wait before answering a successful login.");
    public static final Directive<Integer> MAX_LOGIN_FAILS = number("max_login_fails", 3, 0, Integer.MAX_VALUE,
            SUPPORTED, "Failed logins after which the session is closed; 0 never closes it.");
    public static final Directive<Boolean> DOWNLOAD_ENABLE = flag("download_enable", true, SUPPORTED,
            "Allow downloads (RETR); NO answers 550 Permission denied.");
    public static final Directive<Boolean> DIRLIST_ENABLE = flag("dirlist_enable", true, SUPPORTED,
            "Allow directory listings (LIST, NLST, MLSD, STAT with a path); NO answers 550 Permission denied.");
    public static final Directive<Boolean> CHMOD_ENABLE = flag("chmod_enable", true, SUPPORTED,
            "Allow SITE CHMOD for local users with write permission (never for anonymous users, as in vsftpd).");
    public static final Directive<Boolean> LS_RECURSE_ENABLE = flag("ls_recurse_enable", false, SUPPORTED,
            "Honour LIST -R (recursive listings); without it -R is ignored.");
    public static final Directive<Boolean> FORCE_DOT_FILES = flag("force_dot_files", false, SUPPORTED,
            "List names starting with '.' even when the client does not ask with LIST -a.");
    public static final Directive<Boolean> HIDE_IDS = flag("hide_ids", false, SUPPORTED,
            "Show every entry as owned by user and group ftp. With NO, a local user's listings show their "
                    + "own name and first group (the storage has no owners of its own to show).");
    public static final Directive<Boolean> MDTM_WRITE = flag("mdtm_write", true, SUPPORTED,
            "Allow MDTM and MFMT to set modification times (needs the right to overwrite the file).");
    public static final Directive<String> HIDE_FILE = text("hide_file", "", SUPPORTED,
            "vsftpd pattern ('*', '?', '{a,b}' alternatives, e.g. {*.mp3,secret}) of names left out of "
                    + "listings; they stay accessible by name.");
    public static final Directive<String> DENY_FILE = text("deny_file", "", SUPPORTED,
            "vsftpd pattern of names nobody may access in any way (550 Permission denied.); a path is "
                    + "denied when any of its names matches. Listings still show them, as vsftpd does.");
    public static final Directive<List<String>> CMDS_ALLOWED = list("cmds_allowed", SUPPORTED,
            "If set, the only FTP commands logged-in users may send, comma-separated (e.g. PASV,RETR,QUIT); "
                    + "others answer 550 Permission denied.");
    public static final Directive<List<String>> CMDS_DENIED = list("cmds_denied", SUPPORTED,
            "FTP commands logged-in users may not send, comma-separated; they answer 550 Permission denied.");
    public static final Directive<Boolean> DIRMESSAGE_ENABLE = flag("dirmessage_enable", false, SUPPORTED,
            "Show the message_file of a directory (as 230-/250- lines) the first time a session enters it.");
    public static final Directive<String> MESSAGE_FILE = text("message_file", ".message", SUPPORTED,
            "Name of the file shown on entering a directory with dirmessage_enable.");
    public static final Directive<Optional<Path>> BANNER_FILE = path("banner_file", "", SUPPORTED,
            "File whose text is the greeting (220 reply); overrides ftpd_banner. Read at startup.");
    public static final Directive<Optional<Path>> DENY_USERS_FILE = path("deny_users_file", "", SUPPORTED,
            "Ferry only: names that can never log in, one a line, like /etc/ftpusers; read at startup. root "
                    + "is always refused, with or without a file. Refused logins get 530 after the password, "
                    + "so the file's names cannot be probed.");
    public static final Directive<Optional<Path>> ACCESS_RULES_FILE = path("access_rules_file", "", SUPPORTED,
            "Ferry only: the access rules file (see Access rules): rights per directory for anonymous, local, "
                    + "@group or named users, on every storage. Rules only narrow what the directives allow.");

    // ---- Supported: FTPS (RFC 4217; see README "FTPS" and notes/tls-reuse.md) ----

    public static final Directive<Boolean> SSL_ENABLE = flag("ssl_enable", false, SUPPORTED,
            "Offer FTPS: AUTH TLS (and AUTH SSL) on the control connection, PBSZ and PROT for data "
                    + "connections (RFC 4217). Needs rsa_cert_file or ssl_keystore_file.");
    public static final Directive<Boolean> IMPLICIT_SSL = flag("implicit_ssl", false, SUPPORTED,
            "Make listen_port implicit FTPS: TLS from the first byte (clients use ftps://, traditionally "
                    + "port 990). Needs ssl_enable.");
    public static final Directive<Integer> IMPLICIT_SSL_LISTEN_PORT = number("implicit_ssl_listen_port", 0, 0, 65535,
            SUPPORTED, "Ferry only: a second listener, on this port, for implicit FTPS next to the explicit one "
                    + "on listen_port (same listen_address); 0 means none. Needs ssl_enable.");
    public static final Directive<Optional<Path>> RSA_CERT_FILE = path("rsa_cert_file",
            "/usr/share/ssl/certs/vsftpd.pem", SUPPORTED,
            "PEM certificate chain for TLS, server certificate first (Let's Encrypt: fullchain.pem). RSA or EC "
                    + "keys. Reloaded for new sessions when the file changes.");
    public static final Directive<Optional<Path>> RSA_PRIVATE_KEY_FILE = path("rsa_private_key_file", "", SUPPORTED,
            "PEM private key for rsa_cert_file (PKCS#8, PKCS#1 or SEC1, unencrypted; Let's Encrypt: privkey.pem); "
                    + "empty: the key is in rsa_cert_file.");
    public static final Directive<Optional<Path>> SSL_KEYSTORE_FILE = path("ssl_keystore_file", "", SUPPORTED,
            "Ferry only: a PKCS12 keystore (.p12, .pfx) holding the key and certificate chain; used instead of "
                    + "rsa_cert_file when set. Reloaded for new sessions when the file changes.");
    public static final Directive<String> SSL_KEYSTORE_PASSWORD = text("ssl_keystore_password", "", SUPPORTED,
            "Ferry only: password of ssl_keystore_file (and of its key entry). Keep the config file readable "
                    + "only by Ferry's user.");
    public static final Directive<Boolean> SSL_TLSV1_2 = flag("ssl_tlsv1_2", true, SUPPORTED,
            "Allow TLS 1.2. Older protocols are never offered.");
    public static final Directive<Boolean> SSL_TLSV1_3 = flag("ssl_tlsv1_3", true, SUPPORTED,
            "Allow TLS 1.3.");
    public static final Directive<String> SSL_CIPHERS = text("ssl_ciphers", "", SUPPORTED,
            "Cipher suites, separated by ':' or ',', in the JDK's (IANA) names such as TLS_AES_256_GCM_SHA384 "
                    + "or TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384; empty keeps the JDK's defaults. vsftpd takes "
                    + "OpenSSL names (its default ECDHE-RSA-AES256-GCM-SHA384); an unknown name stops the start.");
    public static final Directive<Boolean> FORCE_LOCAL_LOGINS_SSL = flag("force_local_logins_ssl", true, SUPPORTED,
            "With ssl_enable: local users must do AUTH TLS before USER, else '530 Non-anonymous sessions must use "
                    + "encryption.' and the connection is closed, as in vsftpd.");
    public static final Directive<Boolean> FORCE_LOCAL_DATA_SSL = flag("force_local_data_ssl", true, SUPPORTED,
            "With ssl_enable: local users' transfers and listings need PROT P, else '522 Data connections must be "
                    + "encrypted.'");
    public static final Directive<Boolean> ALLOW_ANON_SSL = flag("allow_anon_ssl", false, SUPPORTED,
            "With ssl_enable: let anonymous users log in over TLS; with NO they read '530 Anonymous sessions may "
                    + "not use encryption.'");
    public static final Directive<Boolean> FORCE_ANON_LOGINS_SSL = flag("force_anon_logins_ssl", false, SUPPORTED,
            "With ssl_enable and allow_anon_ssl: anonymous logins must use TLS.");
    public static final Directive<Boolean> FORCE_ANON_DATA_SSL = flag("force_anon_data_ssl", false, SUPPORTED,
            "With ssl_enable and allow_anon_ssl: anonymous transfers and listings need PROT P.");
    public static final Directive<Boolean> REQUIRE_SSL_REUSE = flag("require_ssl_reuse", true, SUPPORTED,
            "A TLS data connection must resume a TLS session of a control connection (see ssl_reuse_same_user), "
                    + "so nobody else can take over a data connection; others read '522 SSL connection failed: "
                    + "session reuse required'. curl, lftp, rclone and FileZilla resume; Python's ftplib and Apache "
                    + "Commons Net do not (set NO for them).");
    public static final Directive<Boolean> SSL_REUSE_SAME_USER = flag("ssl_reuse_same_user", true, SUPPORTED,
            "With require_ssl_reuse: a data connection may also resume the TLS session of another control "
                    + "connection logged in as the same user from the same client address, as rclone's do (one TLS "
                    + "session cache for all its connections). NO: only its own control connection's session, "
                    + "as vsftpd, which fails rclone. Another user's session, another address and a full handshake "
                    + "are refused either way.");
    public static final Directive<Boolean> SSL_REQUEST_CERT = flag("ssl_request_cert", false, SUPPORTED,
            "Ask TLS clients for a certificate. vsftpd's default is YES; Ferry's is NO, because Ferry never uses "
                    + "a client certificate to log anyone in; require_cert and validate_cert ask anyway.");
    public static final Directive<Boolean> REQUIRE_CERT = flag("require_cert", false, SUPPORTED,
            "Refuse TLS clients without a certificate (checked as validate_cert says).");
    public static final Directive<Boolean> VALIDATE_CERT = flag("validate_cert", false, SUPPORTED,
            "A client certificate must chain to ca_certs_file (or to the JDK's CAs without one); with NO any "
                    + "certificate is accepted, as in vsftpd.");
    public static final Directive<Optional<Path>> CA_CERTS_FILE = path("ca_certs_file", "", SUPPORTED,
            "PEM file of the CA certificates client certificates must chain to (with validate_cert).");
    public static final Directive<Boolean> STRICT_SSL_READ_EOF = flag("strict_ssl_read_eof", true, SUPPORTED,
            "A TLS upload must end with the client's close_notify; one cut by a bare TCP close (which anyone on "
                    + "the path can forge) is refused with 426 and nothing is stored under its name. vsftpd's "
                    + "default is NO; Ferry's is YES, because curl, lftp, rclone, Python's ftplib and Java clients "
                    + "all send close_notify.");
    public static final Directive<Boolean> STRICT_SSL_WRITE_SHUTDOWN = flag("strict_ssl_write_shutdown", false,
            SUPPORTED, "Ferry always ends a TLS download with close_notify; with YES it then waits (at most 10 s) "
                    + "for the client's close_notify in answer, and a download the client closes without one ends "
                    + "with '426 Failure writing network stream.' instead of 226, as in vsftpd.");
    public static final Directive<Boolean> DEBUG_SSL = flag("debug_ssl", false, SUPPORTED,
            "Log each TLS handshake (control and data: protocol, cipher suite, new or resumed session, which "
                    + "control session a data connection resumed), the TLS 1.3 tickets sent and why a TLS "
                    + "connection failed, as vsftpd's debug_ssl does.");
    public static final Directive<Boolean> SSL_ALLOW_CCC = flag("ssl_allow_ccc", false, SUPPORTED,
            "Ferry only: accept CCC (RFC 4217 section 6), which turns the control connection back to plain "
                    + "text after login, for NAT routers that must read PORT/PASV; with NO CCC is refused with 534.");

    // ---- Ferry's own ----

    public static final Directive<String> STORAGE = text("storage", "local", SUPPORTED,
            "Ferry only: the storage backend to serve (local, s3, vfs, or any installed provider); its "
                    + "settings are directives too.");
    public static final Directive<Optional<Path>> USERS_FILE = path("users_file", "", SUPPORTED,
            "Ferry only: the users file, one user a line as name:hash[:home[:groups]]. Without one, "
                    + "local users are the system's accounts, checked through PAM (pam_service_name).");
    public static final Directive<Optional<Path>> AUTH_PROGRAM = path("auth_program", "", SUPPORTED,
            "Ferry only: a program that decides logins, run once per login with the name and the password "
                    + "as two lines on its standard input; it prints ok (then optional home=, groups= and "
                    + "directive=name=value lines) or no. See Users in the README. Checked after users_file.");
    public static final Directive<Duration> AUTH_PROGRAM_TIMEOUT = seconds("auth_program_timeout", 10, SUPPORTED,
            "Ferry only: seconds auth_program may take, waiting for a free slot included; then it is killed "
                    + "and the client gets 421.");
    public static final Directive<Integer> AUTH_PROGRAM_MAX = number("auth_program_max", 8, 1, 1024, SUPPORTED,
            "Ferry only: most auth_program runs at once; further logins wait for one to end (within "
                    + "auth_program_timeout).");
    public static final Directive<String> PAM_SERVICE_NAME = text("pam_service_name", "", SUPPORTED,
            "PAM service (/etc/pam.d/NAME) that checks system accounts for local_enable. Empty: vsftpd's "
                    + "ftp when there is neither users_file nor auth_program nor ldap_url, else no PAM; set beside them, "
                    + "names they refuse are checked through PAM after them.");

    // ---- Supported: LDAP login source (README "Users": LDAP) ----

    public static final Directive<String> LDAP_URL = text("ldap_url", "", SUPPORTED,
            "Ferry only: check local logins against an LDAP directory, e.g. ldap://ldap.example.org or "
                    + "ldaps://ldap.example.org:636; several URLs separated by spaces are tried in order. The "
                    + "user's entry is searched for, then bound as with the password. Empty: no LDAP. Checked "
                    + "after users_file and auth_program, before PAM.");
    public static final Directive<Boolean> LDAP_STARTTLS = flag("ldap_starttls", false, SUPPORTED,
            "Ferry only: encrypt ldap:// connections with StartTLS (RFC 4513 3) before any bind; a server "
                    + "that refuses it makes logins answer 421. Not with ldaps://, which is encrypted already.");
    public static final Directive<Optional<Path>> LDAP_CA_FILE = path("ldap_ca_file", "", SUPPORTED,
            "Ferry only: PEM file of the CA certificates that may sign the LDAP server's certificate (ldaps:// "
                    + "or ldap_starttls); empty trusts the JDK's CA list. The certificate must name the URL's host.");
    public static final Directive<String> LDAP_BIND_DN = text("ldap_bind_dn", "", SUPPORTED,
            "Ferry only: the service account that searches for users, e.g. cn=ftp,ou=services,dc=example,dc=org; "
                    + "empty searches anonymously. Its password comes from ldap_bind_password_file.");
    public static final Directive<Optional<Path>> LDAP_BIND_PASSWORD_FILE = path("ldap_bind_password_file", "",
            SUPPORTED, "Ferry only: file whose first line is ldap_bind_dn's password. Never written in the config "
                    + "itself, which is often world-readable and copied around; keep the file mode 600.");
    public static final Directive<String> LDAP_USER_BASE = text("ldap_user_base", "", SUPPORTED,
            "Ferry only: where users are searched for (the whole subtree), e.g. ou=people,dc=example,dc=org. "
                    + "Needed with ldap_url.");
    public static final Directive<String> LDAP_USER_FILTER = text("ldap_user_filter", "(uid=%u)", SUPPORTED,
            "Ferry only: the filter that finds a user's entry; %u is the login name, escaped (RFC 4515), so a "
                    + "name like *)(uid=* matches nothing. Exactly one entry must match. Active Directory: "
                    + "(sAMAccountName=%u).");
    public static final Directive<String> LDAP_NAME_ATTRIBUTE = text("ldap_name_attribute", "uid", SUPPORTED,
            "Ferry only: attribute holding the user's name; a logged in user has the entry's spelling of it "
                    + "(for access rules, user_config_dir and logs), else the name typed. Empty: the name typed.");
    public static final Directive<String> LDAP_GROUP_BASE = text("ldap_group_base", "", SUPPORTED,
            "Ferry only: where groups are searched for (the whole subtree); the names of the groups "
                    + "ldap_group_filter finds are the user's groups in access rules (@group). Empty: no groups.");
    public static final Directive<String> LDAP_GROUP_FILTER = text("ldap_group_filter", "(member=%d)", SUPPORTED,
            "Ferry only: the filter that finds a user's groups; %d is the user's DN and %u the login name, "
                    + "both escaped. posixGroup: (memberUid=%u).");
    public static final Directive<String> LDAP_GROUP_NAME_ATTRIBUTE = text("ldap_group_name_attribute", "cn",
            SUPPORTED, "Ferry only: attribute of a group entry that holds the group's name.");
    public static final Directive<String> LDAP_HOME_ATTRIBUTE = text("ldap_home_attribute", "", SUPPORTED,
            "Ferry only: attribute of the user's entry that holds the home directory, as a users_file home "
                    + "(a path in the storage: a key prefix under s3_prefix on S3), e.g. homeDirectory. Empty or "
                    + "missing: the default home. local_root wins, as for every local user.");
    public static final Directive<String> LDAP_DIRECTIVE_ATTRIBUTE = text("ldap_directive_attribute", "", SUPPORTED,
            "Ferry only: attribute of the user's entry whose values are per-user directives (name=value, e.g. "
                    + "write_enable=YES), applied as an auth_program's directive= lines are. Empty: none.");
    public static final Directive<Duration> LDAP_TIMEOUT = seconds("ldap_timeout", 10, SUPPORTED,
            "Ferry only: seconds to connect to the LDAP server and for each answer it gives (1 or more); "
                    + "past it the client gets 421, never 530.");
    public static final Directive<Integer> LDAP_POOL_SIZE = number("ldap_pool_size", 16, 1, 256, SUPPORTED,
            "Ferry only: LDAP connections kept open between logins for reuse. The default is the most logins "
                    + "checked at once (16, shared with PAM); below it, a burst of logins opens and closes the rest.");

    // ---- Supported: operations: reload and stop ----

    public static final Directive<Duration> STOP_GRACE_PERIOD = seconds("stop_grace_period", 30, SUPPORTED,
            "Ferry only: on SIGTERM, seconds running transfers may take to finish before they are cut (the "
                    + "client reads 421, a cut upload is discarded); idle sessions are told 421 at once. Keep a "
                    + "service manager's stop timeout above it.");
    public static final Directive<Boolean> CONFIG_WATCH = flag("config_watch", false, SUPPORTED,
            "Ferry only: check the -c config files every 2 seconds and reload when one changed, as SIGHUP "
                    + "does; for platforms without signals. New sessions get the new configuration.");

    // ---- Supported: hostile clients (deadlines a read timeout cannot give) ----

    public static final Directive<Duration> LOGIN_TIMEOUT = seconds("login_timeout", 60, SUPPORTED,
            "Ferry only, like ProFTPD's TimeoutLogin: seconds from connect (TLS handshake and PROXY header "
                    + "included) to a successful login; a client not logged in by then reads '421 Login timeout' "
                    + "and is disconnected, however busily it sends bytes. 0 never. Each command line also has a "
                    + "deadline of its own, idle_session_timeout from the moment Ferry waits for it, so a client "
                    + "that drips a line one byte at a time is cut like an idle one (as vsftpd's alarm does).");
    public static final Directive<Duration> PASV_CLAIM_TIMEOUT = seconds("pasv_claim_timeout", 10, SUPPORTED,
            "Ferry only: seconds a passive listener (PASV, EPSV) waits for the transfer command that uses it; "
                    + "then its port is given back and that command gets 425. accept_timeout then bounds the wait "
                    + "for the connection itself. Listeners given back unused count against their address: when "
                    + "no port is free, a client that uses its ports takes over the port of an address that "
                    + "wastes them. 0 never.");

    // ---- Ignored: no meaning in Ferry ----

    public static final Directive<Boolean> LISTEN = flag("listen", true, Status.ignored(
            "Ferry always runs standalone"),
            "vsftpd: run standalone instead of from inetd.");

    static {
        flag("background", false, Status.ignored("Ferry stays in the foreground; let the service manager run it"),
                "vsftpd: fork into the background in standalone mode.");
        flag("seccomp_sandbox", false, Status.ignored(ONE_PROCESS),
                "vsftpd: confine its processes with a seccomp filter (default YES).");
        flag("ptrace_sandbox", false, Status.ignored(ONE_PROCESS),
                "vsftpd: experimental ptrace sandbox.");
        flag("isolate", false, Status.ignored(ONE_PROCESS),
                "vsftpd: run sessions in their own PID and IPC namespaces (default YES).");
        flag("isolate_network", false, Status.ignored(ONE_PROCESS),
                "vsftpd: run sessions in their own network namespace (default YES).");
        text("secure_chroot_dir", "", Status.ignored(CONFINED),
                "vsftpd: empty directory its unprivileged processes chroot into (default /usr/share/empty).");
        text("nopriv_user", "", Status.ignored(ONE_PROCESS),
                "vsftpd: user its unprivileged processes run as (default nobody).");
        flag("one_process_model", false, Status.ignored(ONE_PROCESS),
                "vsftpd: one process per session without privilege separation.");
        flag("run_as_launching_user", true, Status.ignored("Ferry always runs as the user that starts it"),
                "vsftpd: run as the launching user instead of starting as root (default NO).");
        flag("session_support", false, Status.ignored(NO_PAM_SESSION + ", and writes no utmp/wtmp records"),
                "vsftpd: register sessions with PAM and utmp/wtmp.");
        flag("setproctitle_enable", false, Status.ignored("a JVM cannot set its process title"),
                "vsftpd: show session state in the process list.");
        flag("tcp_wrappers", false, Status.ignored("Ferry has no libwrap; filter clients with a firewall"),
                "vsftpd: check clients against /etc/hosts.allow and /etc/hosts.deny.");
        flag("check_shell", false, Status.ignored("vsftpd too skips it when built with PAM, as Debian's is: "
                        + "add 'auth required pam_shells.so' to the PAM service file instead"),
                "vsftpd: only let local users with a shell listed in /etc/shells log in (default YES).");
        flag("use_sendfile", false, Status.ignored("Ferry picks its own copy loop: sendfile blocks the "
                        + "virtual thread's carrier for the whole transfer"),
                "vsftpd: send downloads with sendfile(2) (default YES).");
        flag("text_userdb_names", false, Status.ignored("Ferry's storage has no numeric user IDs to show"),
                "vsftpd: show user and group names instead of numeric IDs in listings.");
        flag("no_log_lock", false, Status.ignored("Ferry logs through SLF4J and never locks log files"),
                "vsftpd: do not lock its log files while writing.");
        flag("reverse_lookup_enable", false, Status.ignored("Ferry does not tell PAM the client's "
                        + "address or name (libpam4j sets no PAM_RHOST), and never looks client names up in DNS"),
                "Fedora's vsftpd: resolve client addresses to names for PAM.");
        flag("ftp_enable", true, Status.ignored("Ferry always serves FTP"),
                "vsftpd: serve FTP (default YES).");
        flag("http_enable", false, Status.ignored("Ferry serves FTP only"),
                "vsftpd: experimental HTTP mode.");
        flag("passwd_chroot_enable", false, Status.ignored("Ferry jails a user to the whole "
                        + "home directory; set local_root (with user_sub_token) or the home in users_file to jail elsewhere"),
                "vsftpd: take the chroot point from a /./ in the /etc/passwd home directory.");
        flag("ssl_sslv2", false, Status.ignored(OLD_TLS), "vsftpd: allow SSL v2 connections.");
        flag("ssl_sslv3", false, Status.ignored(OLD_TLS), "vsftpd: allow SSL v3 connections.");
        flag("ssl_tlsv1", false, Status.ignored(OLD_TLS), "vsftpd: allow TLS v1.0 connections (default YES).");
        flag("ssl_tlsv1_1", false, Status.ignored(OLD_TLS), "vsftpd 3.0.4+: allow TLS v1.1 connections.");
        path("dsa_cert_file", "", Status.ignored("DSA certificates are obsolete and TLS 1.3 refuses them; "
                        + "use an RSA or EC certificate in rsa_cert_file"),
                "vsftpd: DSA certificate for TLS.");
        path("dsa_private_key_file", "", Status.ignored("DSA certificates are obsolete and TLS 1.3 refuses "
                        + "them; use rsa_private_key_file"),
                "vsftpd: private key for dsa_cert_file.");
        path("dh_param_file", "", Status.ignored(JSSE), "Fedora's vsftpd: Diffie-Hellman parameters for TLS.");
        path("ecdh_param_file", "", Status.ignored(JSSE), "Fedora's vsftpd: elliptic curve parameters for TLS.");
        flag("lock_upload_files", true, Status.ignored("Ferry writes every upload to a hidden temporary file "
                        + "and moves it onto the name once complete, so a download never reads a file being written "
                        + "and two uploads to one name never mix; there is nothing to lock"),
                "vsftpd: take a write lock on a file while it is uploaded (default YES).");
        flag("delete_failed_uploads", true, Status.ignored("a failed or aborted upload never appears under its "
                        + "name in Ferry (it goes to a temporary file that is discarded), and the file it would "
                        + "have replaced is left as it was"),
                "vsftpd: delete the file of a failed or aborted upload (default NO).");
        number("trans_chunk_size", 0, 0, Integer.MAX_VALUE,
                Status.ignored("Ferry's rate limiter sizes its own chunks"),
                "vsftpd: bytes per write in transfers (0 = its own choice).");
    }

    // ---- Ignored: accepted for configurations that carry them ----

    static {
        text("chdir_after_login", "", Status.ignored("vsftpd 3.0.2 and 3.0.3 refuse it as unrecognised; Ferry "
                + "accepts it for configurations that carry it: a user starts in the home or local_root"),
                "vsftpd: no directive of any release (said to be a directory to change to after login).");
    }

    /** Every directive, sorted by name. */
    public static final List<Directive<?>> ALL = TABLE.stream()
            .sorted(Comparator.comparing(Directive::name))
            .toList();

    private CoreDirectives() {
    }

    private static <T> Directive<T> add(Directive<T> directive) {
        TABLE.add(directive);
        return directive;
    }

    private static Directive<Boolean> flag(String name, boolean value, Status status, String help) {
        return add(new Directive<>(name, new ValueType.Bool(), value, help, status));
    }

    private static Directive<Integer> number(String name, int value, int min, int max, Status status, String help) {
        return add(new Directive<>(name, new ValueType.Int(min, max), value, help, status));
    }

    private static Directive<Integer> mode(String name, int value, int max, Status status, String help) {
        return add(new Directive<>(name, new ValueType.Octal(max), value, help, status));
    }

    private static Directive<String> text(String name, String value, Status status, String help) {
        return add(new Directive<>(name, new ValueType.Text(), value, help, status));
    }

    private static Directive<Optional<Path>> path(String name, String value, Status status, String help) {
        ValueType.FilePath type = new ValueType.FilePath();
        return add(new Directive<>(name, type, type.parse(value), help, status));
    }

    private static Directive<List<String>> list(String name, Status status, String help) {
        return add(new Directive<>(name, new ValueType.Words(), List.of(), help, status));
    }

    private static Directive<List<Cidr>> networks(String name, Status status, String help) {
        return add(new Directive<>(name, new ValueType.Networks(), List.of(), help, status));
    }

    private static Directive<Duration> seconds(String name, long value, Status status, String help) {
        return add(new Directive<>(name, new ValueType.Seconds(Integer.MAX_VALUE), Duration.ofSeconds(value),
                help, status));
    }
}
