package dev.ferry.bench;

import dev.ferry.storage.Listing;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import dev.ferry.storage.Upload;
import dev.ferry.storage.WriteMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.List;

/**
 * Ferry's storage layer called the way the server calls it, without FTP: RETR is stat then
 * openRead read to the end in 64 KiB pieces; STOR is stat (is it new?), openWrite, 64 KiB writes,
 * commit; LIST is list read to the end.
 */
final class StorageTransfers {

    private final Storage storage;
    private final byte[] pattern = Fixtures.bytes(64 * 1024, 99);

    StorageTransfers(Storage storage) {
        this.storage = storage;
    }

    long retr(String name) throws IOException, StorageException {
        StoragePath path = StoragePath.parse(name);
        storage.stat(path);
        try (ReadableByteChannel in = storage.openRead(path, 0)) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long total = 0;
            for (int n; (n = in.read(buffer.clear())) >= 0; ) {
                total += n;
            }
            return total;
        }
    }

    void stor(String name, long size) throws IOException, StorageException {
        StoragePath path = StoragePath.parse(name);
        try {
            storage.stat(path);
        } catch (StorageException.NotFound absent) {
            // new: the server would check the write right rather than overwrite
        }
        try (Upload upload = storage.openWrite(path, WriteMode.REPLACE)) {
            for (long left = size; left > 0; ) {
                ByteBuffer piece = ByteBuffer.wrap(pattern, 0, (int) Math.min(pattern.length, left));
                left -= piece.remaining();
                while (piece.hasRemaining()) {
                    upload.stream().write(piece);
                }
            }
            upload.commit();
        }
    }

    int list(String dir) throws IOException, StorageException {
        int entries = 0;
        try (Listing listing = storage.list(StoragePath.parse(dir))) {
            for (var ignored : listing) {
                entries++;
            }
        }
        return entries;
    }

    /** RETR of each name in turn until the deadline; returns how many were done. */
    int retrEach(List<String> names, long deadline) throws IOException, StorageException {
        int done = 0;
        while (done < names.size() && System.nanoTime() < deadline) {
            retr(names.get(done++));
        }
        return done;
    }

    /** STOR of each name in turn until the deadline. */
    int storEach(List<String> names, int size, long deadline) throws IOException, StorageException {
        int done = 0;
        while (done < names.size() && System.nanoTime() < deadline) {
            stor(names.get(done++), size);
        }
        return done;
    }
}
