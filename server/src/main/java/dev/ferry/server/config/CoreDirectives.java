package dev.ferry.server.config;

/** Stand-in until the directive table lands. */
public final class CoreDirectives {
    public static final Directive<Integer> LISTEN_PORT = new Directive<>("listen_port", 2121);
    public static final Directive<String> LISTEN_ADDRESS = new Directive<>("listen_address", "");
    public static final Directive<Boolean> LISTEN_IPV6 = new Directive<>("listen_ipv6", false);
    public static final Directive<Boolean> ANONYMOUS_ENABLE = new Directive<>("anonymous_enable", true);
    public static final Directive<String> ANON_ROOT = new Directive<>("anon_root", ".");
    public static final Directive<Boolean> ASCII_UPLOAD_ENABLE = new Directive<>("ascii_upload_enable", false);
    public static final Directive<Boolean> ASCII_DOWNLOAD_ENABLE = new Directive<>("ascii_download_enable", false);
    public static final Directive<Boolean> LOCAL_ENABLE = new Directive<>("local_enable", true);
    public static final Directive<Boolean> WRITE_ENABLE = new Directive<>("write_enable", false);
    public static final Directive<String> LOCAL_ROOT = new Directive<>("local_root", "");
    public static final Directive<Boolean> PASV_ENABLE = new Directive<>("pasv_enable", true);
    public static final Directive<Integer> PASV_MIN_PORT = new Directive<>("pasv_min_port", 0);
    public static final Directive<Integer> PASV_MAX_PORT = new Directive<>("pasv_max_port", 0);
    public static final Directive<String> PASV_ADDRESS = new Directive<>("pasv_address", "");
    public static final Directive<Boolean> PORT_ENABLE = new Directive<>("port_enable", true);
    public static final Directive<Boolean> PASV_PROMISCUOUS = new Directive<>("pasv_promiscuous", false);
    public static final Directive<Boolean> PORT_PROMISCUOUS = new Directive<>("port_promiscuous", false);
    public static final Directive<String> FTPD_BANNER = new Directive<>("ftpd_banner", "");
    public static final Directive<Integer> IDLE_SESSION_TIMEOUT = new Directive<>("idle_session_timeout", 300);
    public static final Directive<Integer> DATA_CONNECTION_TIMEOUT = new Directive<>("data_connection_timeout", 300);
    public static final Directive<String> STORAGE = new Directive<>("storage", "local");
    public static final Directive<String> USERS_FILE = new Directive<>("users_file", "");

    private CoreDirectives() {
    }
}
