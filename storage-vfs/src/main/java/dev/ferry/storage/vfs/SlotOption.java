package dev.ferry.storage.vfs;

import org.apache.commons.vfs2.FileSystem;
import org.apache.commons.vfs2.FileSystemConfigBuilder;
import org.apache.commons.vfs2.FileSystemOptions;
import org.apache.commons.vfs2.provider.sftp.SftpFileSystem;

/**
 * Numbers the options of each SSH connection of a pool. Commons VFS keeps one file system (one SSH
 * session) per root name and options (its cache key compares the options' values), so options that
 * differ only in this number give the same root a file system, and a connection, per slot. The SFTP
 * provider never reads the value.
 */
final class SlotOption extends FileSystemConfigBuilder {

    private static final SlotOption INSTANCE = new SlotOption();

    private SlotOption() {
        super("ferry.");
    }

    /** {@code options} (fresh, not shared) marked as those of connection {@code slot}. */
    static FileSystemOptions mark(FileSystemOptions options, int slot) {
        INSTANCE.setParam(options, "connection", slot);
        return options;
    }

    @Override
    protected Class<? extends FileSystem> getConfigClass() {
        return SftpFileSystem.class;
    }
}
