package dev.ferry.storage.local;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an entry's attributes through its directory's descriptor (fstatat without following, or
 * fstat of the directory itself) and turns them into a {@link FileInfo}. One call yields type, size,
 * time, the permission bits (on POSIX file systems) and the device and inode numbers behind MLST's
 * {@code unique} fact.
 *
 * <p>Only the nine permission bits are known: Java reads setuid, setgid and sticky through the
 * "unix" view of a path only, never through a descriptor, and a path lookup is what the jail avoids.
 */
final class Attributes {

    /**
     * The nine permission bits as FileInfo holds them, one shared instance per mode: a listing
     * made a boxed Integer and an Optional per entry (modes above 0177 are not in Integer's cache).
     */
    private static final Optional<Integer>[] MODES = modes();

    private final boolean posix;

    Attributes(boolean posix) {
        this.posix = posix;
    }

    boolean posix() {
        return posix;
    }

    /** The entry {@code name} of {@code dir} itself (a link is not followed). */
    BasicFileAttributes lstat(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        return posix
                ? dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes()
                : dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
    }

    /** The directory {@code dir} is open on. */
    BasicFileAttributes fstat(SecureDirectoryStream<Path> dir) throws IOException {
        return posix
                ? dir.getFileAttributeView(PosixFileAttributeView.class).readAttributes()
                : dir.getFileAttributeView(BasicFileAttributeView.class).readAttributes();
    }

    /** The entry's info, or empty for what Ferry does not serve (devices, FIFOs, sockets, links). */
    static Optional<FileInfo> info(StoragePath path, BasicFileAttributes a) {
        if (!a.isDirectory() && !a.isRegularFile()) {
            return Optional.empty();
        }
        Optional<Integer> mode = a instanceof PosixFileAttributes p ? MODES[mode(p.permissions())] : Optional.empty();
        // the id is text made from the file key: only MLST and MLSD with the unique fact ask for it
        Object key = a.fileKey();
        FileInfo.UniqueId unique = key == null ? FileInfo.UniqueId.NONE
                : FileInfo.UniqueId.later(() -> Optional.of(uniqueId(key)));
        return Optional.of(new FileInfo(path, a.isDirectory() ? FileInfo.Type.DIRECTORY : FileInfo.Type.FILE,
                a.isDirectory() ? 0 : a.size(), a.lastModifiedTime().toInstant(), mode, unique));
    }

    /** The mode of an entry (its permission bits), for creating a file that keeps it. */
    static Set<PosixFilePermission> permissions(BasicFileAttributes a) {
        return a instanceof PosixFileAttributes p ? p.permissions() : permissions(0644);
    }

    /**
     * "dev-ino" in hex, as from the "unix" view before: the JDK's Unix file key prints as
     * {@code (dev=803,ino=1234)}, device in hex and inode in decimal.
     */
    static String uniqueId(Object fileKey) {
        String text = fileKey.toString();
        int ino = text.indexOf(",ino=");
        int end = text.length() - 1;
        if (text.startsWith("(dev=") && ino > 5 && text.charAt(end) == ')' && ino + 5 < end) {
            // one pass over the decimal inode (MLSD makes an id per entry); a sign or a long
            // number goes through Long.parseLong, as before
            long inode = 0;
            int i = ino + 5;
            for (; i < end; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9' || inode > (Long.MAX_VALUE - 9) / 10) {
                    break;
                }
                inode = inode * 10 + (c - '0');
            }
            if (i < end) {
                try {
                    inode = Long.parseLong(text.substring(ino + 5, end));
                } catch (NumberFormatException e) {
                    return text.replaceAll("[^A-Za-z0-9]+", "-");
                }
            }
            return new StringBuilder(ino + 12).append(text, 5, ino).append('-').append(Long.toHexString(inode))
                    .toString();
        }
        return text.replaceAll("[^A-Za-z0-9]+", "-");
    }

    @SuppressWarnings("unchecked")
    private static Optional<Integer>[] modes() {
        Optional<Integer>[] modes = new Optional[01000];
        for (int mode = 0; mode < modes.length; mode++) {
            modes[mode] = Optional.of(mode);
        }
        return modes;
    }

    static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 1 << (8 - permission.ordinal());
        }
        return mode;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission permission : PosixFilePermission.values()) {
            if ((mode & 1 << (8 - permission.ordinal())) != 0) {
                result.add(permission);
            }
        }
        return result;
    }
}
