package dev.ferry.storage.vfs;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;
import org.apache.commons.vfs2.provider.UriParser;
import org.apache.commons.vfs2.provider.sftp.FerrySftpChannels;
import org.apache.commons.vfs2.provider.sftp.SftpFileSystem;

/**
 * The links of an {@code sftp://} root, as the SFTP server itself sees them: LSTAT and READLINK on
 * the server's absolute paths, over a channel borrowed from the VFS file system (same SSH session).
 * REALPATH is used once, for the root, and never to judge a link: the protocol only asks it to make a
 * path absolute, and servers differ (OpenSSH resolves links, Apache MINA SSHD only normalizes).
 *
 * <p>JSch reads {@code *} and {@code ?} in a remote path as glob patterns and removes backslashes
 * (ChannelSftp.isUnique/Util.unquote), so a name holding one of them is refused rather than sent; VfsPaths
 * refuses them in client paths already, this covers names that come from link targets.
 */
final class SftpLinks implements Links {

    /** Where lookups borrow their channel: any connection of the pool (all reach the same server and user). */
    private final Connections connections;
    /** The root's absolute path on the server, as its REALPATH reported it. */
    private final String home;
    /** {@link #home} and the root's path as VFS names it: an absolute link target may start with either. */
    private final List<List<String>> anchors;

    private SftpLinks(Connections connections, String home, List<List<String>> anchors) {
        this.connections = connections;
        this.home = home;
        this.anchors = anchors;
    }

    /** Asks the server where the root is (one round trip). */
    static SftpLinks open(FileObject root, Connections connections) throws FileSystemException, StorageException {
        SftpFileSystem fileSystem = (SftpFileSystem) root.getFileSystem();
        // the path SftpFileObject sends for the root: relative to the channel's working directory
        String relative = UriParser.decode(fileSystem.getRootName().getRelativeName(root.getName()));
        ChannelSftp channel = borrow(fileSystem, StoragePath.ROOT);
        try {
            String home = channel.realpath(relative);
            String named = channel.pwd() + "/" + relative;
            if (!home.startsWith("/") || isGlob(home)) {
                throw new StorageException.Failed(StoragePath.ROOT, "vfs_root's path on the SFTP server (" + home
                        + ") is not absolute or holds *, ? or \\, which the SFTP client cannot send as they are", null);
            }
            return new SftpLinks(connections, home, List.of(Links.names(home), Links.names(named)));
        } catch (SftpException e) {
            throw VfsErrors.map(StoragePath.ROOT, e);
        } finally {
            FerrySftpChannels.giveBack(fileSystem, channel);
        }
    }

    @Override
    public boolean exist() {
        return true;
    }

    @Override
    public Lookup lookup() throws StorageException {
        // a channel of the least busy connection; one that refuses the channel passes it to the next
        Borrowed borrowed = connections.hold(StoragePath.ROOT, lease -> {
            SftpFileSystem fileSystem = (SftpFileSystem) lease.root.getFileSystem();
            return new Borrowed(lease, fileSystem, FerrySftpChannels.borrow(fileSystem));
        });
        ChannelSftp channel = borrowed.channel();
        return new Lookup() {
            @Override
            public Node lstat(StoragePath path) throws StorageException {
                String file = host(path);
                try {
                    SftpATTRS attributes = channel.lstat(file);
                    if (attributes.isLink()) {
                        return new Node.Link(channel.readlink(file));
                    }
                    return attributes.isDir() ? Node.DIRECTORY : Node.FILE;
                } catch (SftpException e) {
                    if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                        return Node.MISSING;
                    }
                    throw VfsErrors.map(path, e);
                }
            }

            @Override
            public void close() {
                FerrySftpChannels.giveBack(borrowed.fileSystem(), channel);
                borrowed.lease().release();
            }
        };
    }

    @Override
    public Optional<List<String>> belowRoot(String absoluteTarget) {
        return Links.below(anchors, absoluteTarget);
    }

    /**
     * One READDIR listing: its attributes are the entries' own (a link shows as a link), which is also
     * why VFS's listing cannot be used here: it reports a link as a file of the link's own size.
     */
    @Override
    public List<Child> children(StoragePath dir, FileObject folder, Entries entries) throws StorageException {
        String directory = host(dir);
        // the folder's connection: the caller leased it (and moves on to another if it refuses)
        SftpFileSystem fileSystem = (SftpFileSystem) folder.getFileSystem();
        ChannelSftp channel = borrow(fileSystem, dir);
        try {
            List<Child> children = new ArrayList<>();
            for (ChannelSftp.LsEntry entry : channel.ls(directory)) {
                String name = entry.getFilename();
                if (name.equals(".") || name.equals("..")) {
                    continue;
                }
                SftpATTRS attributes = entry.getAttrs();
                children.add(new Child(name, attributes.isLink(), path -> entries.of(path, attributes.isDir(),
                        attributes.getSize(), attributes.getMTime() * 1000L)));
            }
            return children;
        } catch (SftpException e) {
            throw VfsErrors.map(dir, e);
        } finally {
            FerrySftpChannels.giveBack(fileSystem, channel);
        }
    }

    /** A channel and the connection it belongs to, held for one lookup. */
    private record Borrowed(Connections.Lease lease, SftpFileSystem fileSystem, ChannelSftp channel) {
    }

    private String host(StoragePath path) throws StorageException {
        StringBuilder file = new StringBuilder(home);
        for (String name : path.segments()) {
            if (isGlob(name)) {
                throw new StorageException.InvalidName(path, "the SFTP client reads *, ? and \\ as patterns");
            }
            if (file.charAt(file.length() - 1) != '/') {
                file.append('/');
            }
            file.append(name);
        }
        return file.toString();
    }

    private static boolean isGlob(String name) {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('\\') >= 0;
    }

    private static ChannelSftp borrow(SftpFileSystem fileSystem, StoragePath path) throws StorageException {
        try {
            return FerrySftpChannels.borrow(fileSystem);
        } catch (IOException e) {
            throw VfsErrors.map(path, e);
        }
    }

    @Override
    public String toString() {
        return "SftpLinks[" + home + "]";
    }
}
