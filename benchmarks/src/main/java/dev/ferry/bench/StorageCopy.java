package dev.ferry.bench;

import dev.ferry.storage.Storage;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/** Copies a directory tree from disk into a Storage, so every backend serves the same file set. */
final class StorageCopy {

    private StorageCopy() {
    }

    static void copyTree(Path root, Storage storage) throws IOException {
        copyDir(root, StoragePath.ROOT, storage);
    }

    private static void copyDir(Path dir, StoragePath target, Storage storage) throws IOException {
        List<Path> children;
        try (Stream<Path> stream = Files.list(dir)) {
            children = stream.sorted().toList();
        }
        for (Path child : children) {
            StoragePath path = target.child(child.getFileName().toString());
            try {
                if (Files.isDirectory(child)) {
                    storage.createDirectory(path);
                    copyDir(child, path, storage);
                } else {
                    copyFile(child, path, storage);
                }
            } catch (dev.ferry.storage.StorageException e) {
                throw new IOException("copying " + child + " into the storage: " + e.getMessage(), e);
            }
        }
    }

    private static void copyFile(Path file, StoragePath path, Storage storage)
            throws IOException, dev.ferry.storage.StorageException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
                Upload upload = storage.openWrite(path, WriteMode.REPLACE)) {
            while (in.read(buffer.clear()) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    upload.stream().write(buffer);
                }
            }
            upload.commit();
        }
    }
}
