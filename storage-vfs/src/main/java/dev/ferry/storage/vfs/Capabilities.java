package dev.ferry.storage.vfs;

import dev.ferry.storage.Capability;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.vfs2.FileSystem;

/**
 * What Ferry offers on a VFS file system, from what its provider declares
 * ({@link FileSystem#hasCapability}). Read-only providers (zip, tar, http4) declare no
 * WRITE_CONTENT and get nothing beyond reading.
 *
 * <p>Where the provider can rename, uploads go to a temp sibling that is moved over the target on
 * commit; Append, REST+STOR and exclusive create are then built on that (the kept prefix is copied
 * into the temp file first), independent of the provider's own append support. ATOMIC_REPLACE is
 * never offered: VFS's {@code FileObject.moveTo} deletes an existing target before it renames, so a
 * reader can find the name missing for a moment (never a truncated file).
 *
 * @param writable  uploads, mkdir and delete work
 * @param renamable uploads are temp-then-move
 * @param hasTimes  the provider reports modification times
 */
record Capabilities(Set<Capability> offered, boolean writable, boolean renamable, boolean hasTimes) {

    static Capabilities of(FileSystem fs, String scheme) {
        boolean writable = fs.hasCapability(org.apache.commons.vfs2.Capability.WRITE_CONTENT)
                && fs.hasCapability(org.apache.commons.vfs2.Capability.CREATE)
                && fs.hasCapability(org.apache.commons.vfs2.Capability.DELETE);
        boolean renamable = writable && fs.hasCapability(org.apache.commons.vfs2.Capability.RENAME);
        EnumSet<Capability> offered = EnumSet.noneOf(Capability.class);
        if (fs.hasCapability(org.apache.commons.vfs2.Capability.RANDOM_ACCESS_READ)) {
            offered.add(Capability.RANDOM_READ);
        }
        if (writable) {
            offered.add(Capability.EMPTY_DIRECTORIES);
        }
        if (renamable) {
            offered.addAll(EnumSet.of(Capability.APPEND, Capability.WRITE_AT_OFFSET, Capability.EXCLUSIVE_CREATE,
                    Capability.RENAME));
            // the ram provider moves only the folder's own entry and leaves its children behind
            // (RamFileSystem.rename copies one RamFileData), so directories are not renamed there
            if (!scheme.equals("ram")) {
                offered.add(Capability.RENAME_DIRECTORY);
            }
        }
        if (writable && fs.hasCapability(org.apache.commons.vfs2.Capability.SET_LAST_MODIFIED_FILE)) {
            offered.add(Capability.SET_MODIFIED);
        }
        return new Capabilities(Collections.unmodifiableSet(offered), writable, renamable,
                fs.hasCapability(org.apache.commons.vfs2.Capability.GET_LAST_MODIFIED));
    }

    boolean has(Capability capability) {
        return offered.contains(capability);
    }
}
