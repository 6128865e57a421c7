package dev.ferry.server.command;

import dev.ferry.server.listing.MlsxFormat.Right;
import dev.ferry.server.session.Session;
import dev.ferry.storage.Capability;
import dev.ferry.storage.FileInfo;
import java.util.EnumSet;
import java.util.Set;

/** What this session may do with an entry, for MLSx's perm fact (RFC 3659 section 7.5.5). */
final class Rights {

    private Rights() {
    }

    static Set<Right> of(Session session, FileInfo info) {
        Set<Right> rights = EnumSet.noneOf(Right.class);
        Set<Capability> capabilities = session.capabilities();
        if (info.isDirectory()) {
            rights.add(Right.ENTER);
            rights.add(Right.LIST);
        } else {
            rights.add(Right.READ);
        }
        if (session.writable()) {
            rights.add(Right.DELETE);
            if (capabilities.contains(info.isDirectory() ? Capability.RENAME_DIRECTORY : Capability.RENAME)) {
                rights.add(Right.RENAME);
            }
            if (info.isDirectory()) {
                rights.add(Right.CREATE_FILE);
                rights.add(Right.MKDIR);
                rights.add(Right.DELETE_CHILD);
            } else {
                rights.add(Right.WRITE);
                if (capabilities.contains(Capability.APPEND)) {
                    rights.add(Right.APPEND);
                }
            }
        }
        return rights;
    }
}
