package dev.ferry.storage.vfs;

import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hidden names uploads are written to before they are moved onto their target. The prefix is the
 * one the local backend uses, so a tree moved between backends keeps one convention. Every name with
 * the prefix belongs to Ferry: clients can neither see nor name one, so a leftover found by
 * {@link Recovery} can only come from an interrupted upload.
 */
final class TempNames {

    static final String PREFIX = ".ferry-upload-";
    static final String SUFFIX = ".part";

    /** VFS paths ({@code FileName.getPath()}) of temp files this process is still writing. */
    private final Set<String> active = ConcurrentHashMap.newKeySet();

    static boolean isReserved(String name) {
        return name.startsWith(PREFIX);
    }

    static boolean isTempName(String name) {
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
    }

    static String generate() {
        byte[] random = new byte[8];
        ThreadLocalRandom.current().nextBytes(random);
        return PREFIX + HexFormat.of().formatHex(random) + SUFFIX;
    }

    void started(String vfsPath) {
        active.add(vfsPath);
    }

    void ended(String vfsPath) {
        active.remove(vfsPath);
    }

    boolean isActive(String vfsPath) {
        return active.contains(vfsPath);
    }
}
