package dev.ferry.storage.vfs;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import org.apache.commons.vfs2.FileObject;

/**
 * The links of a {@code file://} root, read with java.nio on the directory behind it (VFS's
 * {@code LocalFile} is a java.io.File, which follows every link). Paths are taken below the root's
 * real path, so a link in the configured root path itself (the administrator's) is followed once, at
 * open.
 */
final class LocalLinks implements Links {

    private final Path real;
    /** The root's real path and, when it differs, the configured one: an absolute target may use either. */
    private final List<List<String>> anchors;

    LocalLinks(Path configured) throws IOException {
        Path absolute = configured.toAbsolutePath().normalize();
        real = absolute.toRealPath();
        anchors = List.of(Links.names(real.toString()), Links.names(absolute.toString()));
    }

    @Override
    public boolean exist() {
        return true;
    }

    @Override
    public Lookup lookup() {
        return this::lstat;
    }

    private Node lstat(StoragePath path) throws StorageException {
        Path file = host(path);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                return new Node.Link(Files.readSymbolicLink(file).toString());
            }
            return attributes.isDirectory() ? Node.DIRECTORY : Node.FILE;
        } catch (NoSuchFileException e) {
            return Node.MISSING;
        } catch (IOException e) {
            throw VfsErrors.map(path, e);
        }
    }

    @Override
    public Optional<List<String>> belowRoot(String absoluteTarget) {
        return Links.below(anchors, absoluteTarget);
    }

    @Override
    public List<Child> children(StoragePath dir, FileObject folder, Entries entries) throws StorageException {
        Path directory = host(dir);
        return Links.fromVfs(dir, folder, entries, name -> Files.isSymbolicLink(directory.resolve(name)));
    }

    private Path host(StoragePath path) {
        Path file = real;
        for (String name : path.segments()) {
            file = file.resolve(name);
        }
        return file;
    }

    @Override
    public String toString() {
        return "LocalLinks[" + real + "]";
    }
}
