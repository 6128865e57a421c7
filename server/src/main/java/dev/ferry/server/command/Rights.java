package dev.ferry.server.command;

import dev.ferry.server.access.Right;
import dev.ferry.server.listing.MlsxFormat;
import dev.ferry.server.session.Session;
import dev.ferry.storage.Capability;
import dev.ferry.storage.FileInfo;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;

/**
 * What this session may do with an entry, for MLSx's perm fact (RFC 3659 section 7.5.5): the
 * session's policy at the entry's path (directives and access rules) and the storage's
 * capabilities, so a client never sees a letter the server would refuse.
 */
final class Rights {

    private Rights() {
    }

    /**
     * The rights of every entry of one listing. Without access rules the policy gives the same
     * rights everywhere, so they are worked out once for files and once for directories: per entry,
     * the path under the session's root and the rule lookup were a tenth of an MLSD (issue 15).
     */
    static Function<FileInfo, Set<MlsxFormat.Right>> forListing(Session session) {
        if (session.user().policy().pathSpecific()) {
            return info -> of(session, info);
        }
        return new Function<>() {
            private Set<MlsxFormat.Right> file;
            private Set<MlsxFormat.Right> directory;

            @Override
            public Set<MlsxFormat.Right> apply(FileInfo info) {
                if (info.isDirectory()) {
                    return directory != null ? directory : (directory = Collections.unmodifiableSet(of(session, info)));
                }
                return file != null ? file : (file = Collections.unmodifiableSet(of(session, info)));
            }
        };
    }

    static Set<MlsxFormat.Right> of(Session session, FileInfo info) {
        Set<MlsxFormat.Right> perm = EnumSet.noneOf(MlsxFormat.Right.class);
        Set<Right> rights = session.user().policy().rights(session.user().storagePath(info.path()));
        Set<Capability> capabilities = session.capabilities();
        if (info.isDirectory()) {
            if (!rights.isEmpty()) {
                perm.add(MlsxFormat.Right.ENTER);
            }
            if (rights.contains(Right.LIST)) {
                perm.add(MlsxFormat.Right.LIST);
            }
            if (rights.contains(Right.WRITE)) {
                perm.add(MlsxFormat.Right.CREATE_FILE);
            }
            if (rights.contains(Right.MKDIR)) {
                perm.add(MlsxFormat.Right.MKDIR);
            }
            if (rights.contains(Right.DELETE)) {
                perm.add(MlsxFormat.Right.DELETE);
                perm.add(MlsxFormat.Right.DELETE_CHILD);
            }
        } else {
            if (rights.contains(Right.READ)) {
                perm.add(MlsxFormat.Right.READ);
            }
            if (rights.contains(Right.OVERWRITE)) {
                perm.add(MlsxFormat.Right.WRITE);
                if (capabilities.contains(Capability.APPEND)) {
                    perm.add(MlsxFormat.Right.APPEND);
                }
            }
            if (rights.contains(Right.DELETE)) {
                perm.add(MlsxFormat.Right.DELETE);
            }
        }
        if (rights.contains(Right.RENAME)
                && capabilities.contains(info.isDirectory() ? Capability.RENAME_DIRECTORY : Capability.RENAME)) {
            perm.add(MlsxFormat.Right.RENAME);
        }
        return perm;
    }
}
