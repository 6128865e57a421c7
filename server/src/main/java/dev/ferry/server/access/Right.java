package dev.ferry.server.access;

import java.util.Locale;
import java.util.Optional;

/**
 * What a user may do below a directory. vsftpd gets these from Unix modes (r, w, x on the
 * directory, w on the file); Ferry names them, so they mean the same on storages without modes.
 */
public enum Right {
    /** LIST, NLST, MLSD, STAT with a path. */
    LIST,
    /** RETR; with LIST, SIZE, MDTM and MLST. */
    READ,
    /** STOR, STOU, APPE of a file that does not exist yet. */
    WRITE,
    /** STOR over an existing file, APPE or REST+STOR to it, MDTM/MFMT setting its time, SITE CHMOD. */
    OVERWRITE,
    /** MKD. */
    MKDIR,
    /** DELE, RMD. */
    DELETE,
    /** RNFR, RNTO. */
    RENAME;

    /** The name in the rules file. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Right> byToken(String token) {
        for (Right right : values()) {
            if (right.token().equals(token)) {
                return Optional.of(right);
            }
        }
        return Optional.empty();
    }

    /** Whether the right changes the storage. */
    public boolean writes() {
        return this != LIST && this != READ;
    }
}
