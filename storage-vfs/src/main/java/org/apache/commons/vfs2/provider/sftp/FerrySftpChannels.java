package org.apache.commons.vfs2.provider.sftp;

import com.jcraft.jsch.ChannelSftp;
import java.io.IOException;

/**
 * Ferry's way to the SFTP channels of a Commons VFS file system. Ferry must lstat and readlink on the
 * server (VFS only ever stats, which follows links), over the same SSH session and channel pool that VFS
 * uses; {@link SftpFileSystem#getChannel()} and {@link SftpFileSystem#putChannel} are protected, so this
 * class sits in their package. Ferry runs on the class path (one shaded jar), where a package may span
 * jars; a change of those methods in a new VFS version fails the build here rather than at run time.
 */
public final class FerrySftpChannels {

    private FerrySftpChannels() {
    }

    /** The pooled idle channel, or a new one; give it back with {@link #giveBack}. */
    public static ChannelSftp borrow(SftpFileSystem fileSystem) throws IOException {
        return fileSystem.getChannel();
    }

    /** Returns a channel to the pool (VFS keeps one idle channel and disconnects the others). */
    public static void giveBack(SftpFileSystem fileSystem, ChannelSftp channel) {
        fileSystem.putChannel(channel);
    }
}
