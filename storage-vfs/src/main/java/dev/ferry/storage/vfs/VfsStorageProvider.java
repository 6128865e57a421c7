package dev.ferry.storage.vfs;

import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.StorageProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The {@code vfs} backend: any tree Apache Commons VFS can reach, named by a root URI. */
public final class VfsStorageProvider implements StorageProvider {

    static final String ROOT = "vfs_root";
    static final String PASSWORD = "vfs_password";
    static final String PRIVATE_KEY = "vfs_sftp_private_key_file";
    static final String PASSPHRASE = "vfs_sftp_private_key_passphrase";
    static final String STRICT_HOST_KEYS = "vfs_sftp_strict_host_key_checking";
    static final String KNOWN_HOSTS = "vfs_sftp_known_hosts_file";
    static final String NO_EXEC = "vfs_sftp_no_exec";
    static final String USER_DIR_IS_ROOT = "vfs_user_dir_is_root";
    static final String CONNECT_TIMEOUT = "vfs_connect_timeout";
    static final String TIMEOUT = "vfs_timeout";
    static final String CACHE_TTL = "vfs_cache_ttl";
    static final String CACHE_SIZE = "vfs_cache_size";
    static final String SFTP_CONNECTIONS = "vfs_sftp_connections";

    private static final List<Setting> SETTINGS = List.of(
            new Setting(ROOT, Setting.Kind.STRING, "",
                    "The Commons VFS URI the vfs backend serves: sftp://user@host/path, zip:/srv/a.zip!/, tar:/srv/a.tar!/,"
                            + " ram://, file:///srv/ftp, webdav4://user@host/path, ftp://user@host/path. Required with storage=vfs."),
            new Setting(PASSWORD, Setting.Kind.STRING, "",
                    "The password for the user in vfs_root (SFTP, FTP, WebDAV). Keeps it out of the URI; never logged."),
            new Setting(PRIVATE_KEY, Setting.Kind.PATH, "",
                    "SFTP: an OpenSSH private key file to log in with instead of a password."),
            new Setting(PASSPHRASE, Setting.Kind.STRING, "",
                    "SFTP: the passphrase of vfs_sftp_private_key_file, if it has one. Never logged."),
            new Setting(STRICT_HOST_KEYS, Setting.Kind.BOOLEAN, "YES",
                    "SFTP: connect only to hosts whose key is in vfs_sftp_known_hosts_file. NO accepts any host key"
                            + " (open to man-in-the-middle attacks); test setups only."),
            new Setting(KNOWN_HOSTS, Setting.Kind.PATH, "",
                    "SFTP: the known_hosts file with the server's key (ssh-keyscan -p PORT HOST >> file)."
                            + " Empty: ~/.ssh/known_hosts of the user running Ferry."),
            new Setting(NO_EXEC, Setting.Kind.BOOLEAN, "NO",
                    "SFTP: YES for SFTP-only accounts (ForceCommand internal-sftp): Commons VFS then does not run"
                            + " id -u / id -G over SSH to judge permissions and assumes the account owns what it sees;"
                            + " the SFTP server still decides."),
            new Setting(USER_DIR_IS_ROOT, Setting.Kind.BOOLEAN, "NO",
                    "SFTP and FTP: YES reads the path in vfs_root relative to the login's home directory"
                            + " (the Commons VFS default); NO, Ferry's default, reads it from the server's /."),
            new Setting(CONNECT_TIMEOUT, Setting.Kind.STRING, "10s",
                    "How long connecting to a remote vfs_root may take (500ms, 10s, 2m; a bare number is seconds)."),
            new Setting(TIMEOUT, Setting.Kind.STRING, "60s",
                    "How long a connected remote server may stay silent before the operation fails with 451"
                            + " (socket read timeout; same units as vfs_connect_timeout)."),
            new Setting(CACHE_TTL, Setting.Kind.STRING, "2s",
                    "How long file metadata (type, size, time) is remembered between requests; changes made by"
                            + " others show after at most this long. Ferry's own changes are seen at once. 0 turns it off."),
            new Setting(CACHE_SIZE, Setting.Kind.INTEGER, "10000",
                    "How many entries the metadata cache holds at most."),
            new Setting(SFTP_CONNECTIONS, Setting.Kind.INTEGER, String.valueOf(VfsConfig.DEFAULT_SFTP_CONNECTIONS),
                    "SFTP: how many SSH connections Ferry may open to the server; sessions' transfers are spread over"
                            + " them and a channel one connection refuses is asked of another. OpenSSH allows MaxSessions"
                            + " (default 10) channels per connection and every running transfer holds one: set this to"
                            + " about concurrent transfers / 8. Connections beyond the first open only when needed."));

    @Override
    public String name() {
        return "vfs";
    }

    @Override
    public List<Setting> settings() {
        return SETTINGS;
    }

    @Override
    public Storage open(Settings settings) throws StorageException {
        return new VfsStorage(config(settings));
    }

    static VfsConfig config(Settings settings) throws StorageException {
        String root = settings.string(ROOT).strip();
        if (root.isEmpty()) {
            throw new StorageException.Failed(StoragePath.ROOT, ROOT + " is required with storage=vfs"
                    + " (e.g. vfs_root=sftp://user@host/srv/ftp or vfs_root=zip:/srv/archive.zip!/)", null);
        }
        long cacheSize = settings.integer(CACHE_SIZE);
        if (cacheSize < 0) {
            throw new StorageException.Failed(StoragePath.ROOT, CACHE_SIZE + " must not be negative", null);
        }
        long connections = settings.integer(SFTP_CONNECTIONS);
        if (connections < 1 || connections > 256) {
            throw new StorageException.Failed(StoragePath.ROOT, SFTP_CONNECTIONS + " must be between 1 and 256", null);
        }
        try {
            return new VfsConfig(root, settings.string(PASSWORD), path(settings.string(PRIVATE_KEY)),
                    settings.string(PASSPHRASE), settings.bool(STRICT_HOST_KEYS), path(settings.string(KNOWN_HOSTS)),
                    settings.bool(NO_EXEC), settings.bool(USER_DIR_IS_ROOT), positive(CONNECT_TIMEOUT, settings),
                    positive(TIMEOUT, settings), Durations.parse(CACHE_TTL, settings.string(CACHE_TTL)), cacheSize,
                    (int) connections);
        } catch (IllegalArgumentException e) {
            throw new StorageException.Failed(StoragePath.ROOT, e.getMessage(), e);
        }
    }

    private static Duration positive(String name, Settings settings) {
        Duration duration = Durations.parse(name, settings.string(name));
        if (duration.isZero()) {
            throw new IllegalArgumentException(name + " must be more than 0");
        }
        return duration;
    }

    private static Optional<Path> path(String text) {
        return text.isBlank() ? Optional.empty() : Optional.of(Path.of(text));
    }
}
