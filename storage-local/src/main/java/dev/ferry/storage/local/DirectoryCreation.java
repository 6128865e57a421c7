package dev.ferry.storage.local;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MKD inside the jail: the one operation where Ferry still hands the kernel a path below the jail
 * root, because SecureDirectoryStream has no mkdirat. The parent is resolved like every path (from
 * descriptors, links confined), then mkdir(2) gets the jail's real path plus the names walked, and
 * the result is checked through the parent's descriptor (fstatat of the new name).
 *
 * <p>The residual window: between the walk and the mkdir call (microseconds), someone with a shell
 * who can rename entries inside the jail can replace a directory on the way with a link, and mkdir
 * then creates one empty directory, with the client's name and the server's umask, where that link
 * points, possibly outside the jail. The check afterwards sees that no directory appeared in the
 * resolved parent, refuses the command and logs a warning naming the path. Nothing is ever written
 * into such a directory: every later operation resolves from descriptors again. FTP clients cannot
 * make links, so only local users racing Ferry can open this window.
 */
final class DirectoryCreation {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryCreation.class);

    private final Attributes attributes;

    DirectoryCreation(Attributes attributes) {
        this.attributes = attributes;
    }

    void create(Walk walk, StoragePath dir) throws StorageException {
        if (dir.isRoot()) {
            throw new StorageException.AlreadyExists(dir);
        }
        // a dangling link inside the jail names where the directory goes, as it does for an upload
        Entry entry = walk.resolve(dir, true, true);
        if (entry.isRoot() || entry.exists()) {
            throw new StorageException.AlreadyExists(dir);
        }
        Path lexical = walk.lexical(entry.name());
        try {
            Files.createDirectory(lexical);
        } catch (IOException e) {
            throw IoErrors.map(dir, e);
        }
        BasicFileAttributes made;
        try {
            made = attributes.lstat(entry.dir().stream(), entry.name());
        } catch (NoSuchFileException e) {
            made = null;
        } catch (IOException e) {
            throw IoErrors.map(dir, e);
        }
        if (made == null || !made.isDirectory()) {
            LOG.warn("mkdir {} did not create {} in the directory Ferry had resolved: a directory on the way was"
                    + " renamed or replaced meanwhile, and an empty directory may have been created elsewhere", lexical, dir);
            throw new StorageException.AccessDenied(dir, "the parent directory changed while the directory was created");
        }
    }
}
