package dev.ferry.storage.local;

import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what a {@link FileInfo} needs with one stat call. Where the JDK offers its "unix" view
 * (Linux, macOS) that call also yields the mode bits and the device and inode numbers, which make
 * MLST's {@code unique} fact; elsewhere the basic or POSIX view and the file key stand in.
 *
 * <p>Paths handed in are real paths (or entries already checked), so links are never followed
 * here: a link swapped in meanwhile reads as "neither file nor directory" and is refused.
 */
final class Attributes {

    private static final String UNIX_ATTRIBUTES = "unix:mode,ino,dev,size,lastModifiedTime,isDirectory,isRegularFile";

    private final boolean unixView;
    private final boolean posix;

    Attributes(boolean posix) {
        this.unixView = posix && java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("unix");
        this.posix = posix;
    }

    /** The entry's info, or empty for what Ferry does not serve (devices, FIFOs, sockets, links). */
    Optional<FileInfo> read(StoragePath path, Path file) throws IOException {
        if (unixView) {
            Map<String, Object> a = Files.readAttributes(file, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            boolean directory = (Boolean) a.get("isDirectory");
            if (!directory && !(Boolean) a.get("isRegularFile")) {
                return Optional.empty();
            }
            String id = Long.toHexString((Long) a.get("dev")) + "-" + Long.toHexString((Long) a.get("ino"));
            return Optional.of(new FileInfo(path, directory ? FileInfo.Type.DIRECTORY : FileInfo.Type.FILE,
                    directory ? 0 : (Long) a.get("size"), ((FileTime) a.get("lastModifiedTime")).toInstant(),
                    Optional.of((Integer) a.get("mode") & 07777), Optional.of(id)));
        }
        BasicFileAttributes a = posix
                ? Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                : Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory() && !a.isRegularFile()) {
            return Optional.empty();
        }
        Optional<Integer> mode = a instanceof PosixFileAttributes p ? Optional.of(mode(p.permissions())) : Optional.empty();
        Optional<String> id = Optional.ofNullable(a.fileKey()).map(key -> key.toString().replaceAll("[^A-Za-z0-9]+", "-"));
        return Optional.of(new FileInfo(path, a.isDirectory() ? FileInfo.Type.DIRECTORY : FileInfo.Type.FILE,
                a.isDirectory() ? 0 : a.size(), a.lastModifiedTime().toInstant(), mode, id));
    }

    static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 1 << (8 - permission.ordinal());
        }
        return mode;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> result = java.util.EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission permission : PosixFilePermission.values()) {
            if ((mode & 1 << (8 - permission.ordinal())) != 0) {
                result.add(permission);
            }
        }
        return result;
    }
}
