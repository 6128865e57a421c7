package dev.ferry.server.command;

import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.session.LoginState;
import dev.ferry.server.session.Session;
import dev.ferry.storage.Capability;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Modes of what users create, as vsftpd sets them: files get file_open_mode, directories 0777,
 * minus anon_umask or local_umask. Only where the storage has Unix modes.
 */
final class Modes {

    private static final Logger LOG = LoggerFactory.getLogger(Modes.class);

    private Modes() {
    }

    /** The mode a new file of this session gets, or empty on storages without modes. */
    static OptionalInt forFile(Session session) {
        return of(session, session.config().get(CoreDirectives.FILE_OPEN_MODE));
    }

    /** {@code mode} as it is (no umask: vsftpd's fchmod for chown_upload_mode), or empty on storages without modes. */
    static OptionalInt exactly(Session session, int mode) {
        if (!session.capabilities().contains(Capability.POSIX_ATTRIBUTES)) {
            return OptionalInt.empty();
        }
        // setuid, setgid and sticky are never handed out
        return OptionalInt.of(mode & 0777);
    }

    /** {@code base} minus the session's umask, or empty on storages without modes. */
    static OptionalInt of(Session session, int base) {
        if (!session.capabilities().contains(Capability.POSIX_ATTRIBUTES)) {
            return OptionalInt.empty();
        }
        int umask = session.login().anonymousRights()
                ? session.config().get(CoreDirectives.ANON_UMASK) : session.config().get(CoreDirectives.LOCAL_UMASK);
        // setuid, setgid and sticky are never handed out, whatever file_open_mode says
        return OptionalInt.of(base & ~umask & 0777);
    }

    /** Sets {@code base} minus the umask on {@code path}; a failure leaves the storage's own mode. */
    static void apply(Session session, StoragePath path, int base) {
        OptionalInt mode = of(session, base);
        if (mode.isPresent()) {
            set(session.user().storage(), path, mode.getAsInt());
        }
    }

    static void set(Storage storage, StoragePath path, int mode) {
        try {
            storage.setPermissions(path, mode);
        } catch (StorageException e) {
            LOG.warn("could not set mode {} on {}: {}", Integer.toOctalString(mode), path, e.getMessage());
        }
    }
}
