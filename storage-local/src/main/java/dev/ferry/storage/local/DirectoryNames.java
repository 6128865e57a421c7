package dev.ferry.storage.local;

import dev.ferry.storage.NameListing;
import dev.ferry.storage.StoragePath;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * A directory's names as the OS returns them, with no stat per entry (NLST; vsftpd and pure-ftpd
 * only read the directory for it too). Unlike {@link DirectoryListing} it names links leading out
 * of the jail, dangling links and special files: their name is all it gives, and every operation
 * on them resolves them as {@link Walk} does (550). Left out: upload temp files and names a
 * StoragePath cannot hold (CR, LF), as from the listing. Iterable once.
 */
final class DirectoryNames implements NameListing {

    private final StoragePath dir;
    private final Walk walk;
    private final Dir listed;

    /** {@code walk} stands in the directory {@code listed} is open on; closing this closes both. */
    DirectoryNames(StoragePath dir, Walk walk, Dir listed) {
        this.dir = dir;
        this.walk = walk;
        this.listed = listed;
    }

    @Override
    public Iterator<String> iterator() {
        return listed.entries(dir, entry -> {
            String name = name(entry);
            return usable(name) ? name : null;
        });
    }

    /**
     * The last name of an entry's path, cut from its text: {@code getFileName()} scanned the path
     * and made a second path per entry, a third of NLST's CPU in Java (issue 15). A name from
     * readdir never holds '/'.
     */
    private static String name(Path entry) {
        String text = entry.toString();
        return text.substring(text.lastIndexOf('/') + 1);
    }

    /**
     * readdir never returns "", ".", "..", '/' or NUL in a name, so of what a StoragePath refuses only
     * CR and LF are left to look for; upload temp names are never shown.
     */
    private static boolean usable(String name) {
        return name.indexOf('\n') < 0 && name.indexOf('\r') < 0 && !TempFiles.isReserved(name);
    }

    @Override
    public void close() {
        listed.close();
        walk.close();
    }
}
