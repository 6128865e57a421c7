package dev.ferry.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reference backend: a tree in memory that does everything the SPI describes, so the contract
 * suite and the server's tests have a storage with no disk or network behind it.
 *
 * <p>One {@link ReentrantLock} guards the tree; no IO ever happens under it. File contents are
 * immutable arrays replaced on commit, so a reader keeps the version it opened (like an open file
 * descriptor after a rename) and never sees a mix.
 */
public final class MemoryStorage implements Storage {

    private static final Set<Capability> SUPPORTED = Collections.unmodifiableSet(
            EnumSet.complementOf(EnumSet.of(Capability.SERVER_SIDE_COPY)));

    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong ids = new AtomicLong();
    private final Set<Capability> capabilities;
    private final Dir root;

    /** A storage with every capability it can honour (all but {@link Capability#SERVER_SIDE_COPY}). */
    public MemoryStorage() {
        this(SUPPORTED);
    }

    /**
     * A storage that offers only {@code capabilities} (intersected with what it supports) and refuses
     * the optional operations outside them with {@link StorageException.Unsupported}: for tests of
     * how the server behaves on a weaker backend.
     */
    public MemoryStorage(Set<Capability> capabilities) {
        EnumSet<Capability> offered = EnumSet.noneOf(Capability.class);
        offered.addAll(capabilities);
        offered.retainAll(SUPPORTED);
        this.capabilities = Collections.unmodifiableSet(offered);
        this.root = new Dir(ids.incrementAndGet(), Instant.now());
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public FileInfo stat(StoragePath path) throws StorageException {
        lock.lock();
        try {
            return info(path, existing(path));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Listing list(StoragePath dir) throws StorageException {
        lock.lock();
        try {
            Dir node = directory(dir);
            List<FileInfo> entries = new ArrayList<>(node.children.size());
            node.children.forEach((name, child) -> entries.add(info(dir.child(name), child)));
            return Listing.of(entries);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ReadableByteChannel openRead(StoragePath path, long offset) throws StorageException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        byte[] content;
        lock.lock();
        try {
            content = switch (existing(path)) {
                case File file -> file.content;
                case Dir ignored -> throw new StorageException.IsADirectory(path);
            };
        } finally {
            lock.unlock();
        }
        int start = (int) Math.min(offset, content.length);
        return new ReadChannel(ByteBuffer.wrap(content, start, content.length - start).slice());
    }

    @Override
    public Upload openWrite(StoragePath path, WriteMode mode) throws StorageException {
        return openWrite(path, mode, OptionalInt.empty());
    }

    @Override
    public Upload openWrite(StoragePath path, WriteMode mode, OptionalInt permissions) throws StorageException {
        switch (mode) {
            case WriteMode.Append ignored -> require(Capability.APPEND, "append");
            case WriteMode.ResumeAt ignored -> require(Capability.WRITE_AT_OFFSET, "write at an offset");
            case WriteMode.Replace ignored -> { }
            case WriteMode.CreateNew ignored -> { }
        }
        if (path.isRoot()) {
            throw new StorageException.IsADirectory(path);
        }
        lock.lock();
        try {
            Dir parent = directory(path.parent());
            byte[] prefix = new byte[0];
            switch (parent.children.get(path.name())) {
                case null -> {
                    if (mode instanceof WriteMode.ResumeAt(long offset) && offset > 0) {
                        throw new StorageException.NotFound(path);
                    }
                }
                case Dir ignored -> throw new StorageException.IsADirectory(path);
                case File file -> {
                    if (mode instanceof WriteMode.CreateNew) {
                        throw new StorageException.AlreadyExists(path);
                    }
                    if (mode instanceof WriteMode.ResumeAt(long offset)) {
                        if (offset > file.content.length) {
                            throw new StorageException.Failed(path, "Resume offset " + offset
                                    + " is beyond the end of " + path + " (" + file.content.length + " bytes)", null);
                        }
                        prefix = Arrays.copyOf(file.content, (int) offset);
                    }
                }
            }
            return new MemoryUpload(path, mode, prefix,
                    capabilities.contains(Capability.POSIX_ATTRIBUTES) ? permissions : OptionalInt.empty());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void createDirectory(StoragePath dir) throws StorageException {
        if (dir.isRoot()) {
            throw new StorageException.AlreadyExists(dir);
        }
        lock.lock();
        try {
            Dir parent = directory(dir.parent());
            if (parent.children.containsKey(dir.name())) {
                throw new StorageException.AlreadyExists(dir);
            }
            Instant now = Instant.now();
            parent.children.put(dir.name(), new Dir(ids.incrementAndGet(), now));
            parent.modified = now;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void delete(StoragePath file) throws StorageException {
        lock.lock();
        try {
            if (existing(file) instanceof Dir) {
                throw new StorageException.IsADirectory(file);
            }
            remove(file);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void deleteDirectory(StoragePath dir) throws StorageException {
        if (dir.isRoot()) {
            throw new StorageException.AccessDenied(dir, "the root cannot be removed");
        }
        lock.lock();
        try {
            switch (existing(dir)) {
                case File ignored -> throw new StorageException.NotADirectory(dir);
                case Dir node when !node.children.isEmpty() -> throw new StorageException.DirectoryNotEmpty(dir);
                case Dir ignored -> remove(dir);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void rename(StoragePath from, StoragePath to) throws StorageException {
        require(Capability.RENAME, "rename");
        if (from.isRoot()) {
            throw new StorageException.AccessDenied(from, "the root cannot be moved");
        }
        if (to.isRoot()) {
            throw new StorageException.AlreadyExists(to);
        }
        lock.lock();
        try {
            Node moving = existing(from);
            if (moving instanceof Dir) {
                require(Capability.RENAME_DIRECTORY, "rename a directory");
            }
            Dir target = directory(to.parent());
            if (from.equals(to)) {
                return;
            }
            if (moving instanceof Dir && from.contains(to)) {
                throw new StorageException.Failed(to, "Cannot move " + from + " into itself", null);
            }
            Node occupant = target.children.get(to.name());
            if (occupant instanceof Dir && moving instanceof File) {
                throw new StorageException.IsADirectory(to);
            }
            if (occupant != null && moving instanceof Dir) {
                throw new StorageException.AlreadyExists(to);
            }
            remove(from);
            target.children.put(to.name(), moving);
            target.modified = Instant.now();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setModified(StoragePath path, Instant time) throws StorageException {
        require(Capability.SET_MODIFIED, "set the modification time");
        lock.lock();
        try {
            existing(path).modified(time);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setPermissions(StoragePath path, int mode) throws StorageException {
        require(Capability.POSIX_ATTRIBUTES, "set permissions");
        if ((mode & ~07777) != 0) {
            throw new StorageException.Failed(path, "Not a permission mode: " + Integer.toOctalString(mode), null);
        }
        lock.lock();
        try {
            existing(path).mode(mode);
        } finally {
            lock.unlock();
        }
    }

    /** No links in memory: a subtree view is all the jail needs. */
    @Override
    public Storage scoped(StoragePath root) {
        return SubtreeStorage.of(this, root);
    }

    @Override
    public void close() {
        // nothing held outside the heap
    }

    private void require(Capability capability, String operation) throws StorageException {
        if (!capabilities.contains(capability)) {
            throw new StorageException.Unsupported(operation);
        }
    }

    /** Commits an upload; called with the bytes written, outside any lock. */
    private long store(StoragePath path, WriteMode mode, byte[] prefix, byte[] written, int length,
                       OptionalInt permissions) throws StorageException {
        lock.lock();
        try {
            // the tree may have changed since openWrite: check again, as a rename(2) would
            Dir parent = directory(path.parent());
            Node existing = parent.children.get(path.name());
            if (existing instanceof Dir) {
                throw new StorageException.IsADirectory(path);
            }
            if (existing != null && mode instanceof WriteMode.CreateNew) {
                throw new StorageException.AlreadyExists(path);
            }
            // Append reads the file as it is now, so concurrent appends never lose each other's bytes
            byte[] base = mode instanceof WriteMode.Append && existing instanceof File file ? file.content : prefix;
            byte[] content = Arrays.copyOf(base, base.length + length);
            System.arraycopy(written, 0, content, base.length, length);
            Instant now = Instant.now();
            File replacement = new File(ids.incrementAndGet(), content, now);
            if (existing instanceof File old) {
                replacement.mode = old.mode;
            }
            permissions.ifPresent(bits -> replacement.mode = bits);
            parent.children.put(path.name(), replacement);
            parent.modified = now;
            return content.length;
        } finally {
            lock.unlock();
        }
    }

    private void remove(StoragePath path) throws StorageException {
        Dir parent = directory(path.parent());
        parent.children.remove(path.name());
        parent.modified = Instant.now();
    }

    private Node existing(StoragePath path) throws StorageException {
        Node node = root;
        for (String segment : path.segments()) {
            node = switch (node) {
                case Dir dir -> dir.children.get(segment);
                case File ignored -> throw new StorageException.NotFound(path);
                case null -> throw new StorageException.NotFound(path);
            };
            if (node == null) {
                throw new StorageException.NotFound(path);
            }
        }
        return node;
    }

    private Dir directory(StoragePath path) throws StorageException {
        return switch (existing(path)) {
            case Dir dir -> dir;
            case File ignored -> throw new StorageException.NotADirectory(path);
        };
    }

    private FileInfo info(StoragePath path, Node node) {
        Optional<Integer> mode = capabilities.contains(Capability.POSIX_ATTRIBUTES)
                ? Optional.of(node.mode()) : Optional.empty();
        Optional<String> id = Optional.of(Long.toString(node.id(), 36));
        return switch (node) {
            case Dir dir -> new FileInfo(path, FileInfo.Type.DIRECTORY, 0, dir.modified, mode, id);
            case File file -> new FileInfo(path, FileInfo.Type.FILE, file.content.length, file.modified, mode, id);
        };
    }

    private sealed interface Node permits Dir, File {
        long id();

        int mode();

        void mode(int mode);

        void modified(Instant time);
    }

    /** Guarded by the storage lock. */
    private static final class Dir implements Node {
        final long id;
        final Map<String, Node> children = new HashMap<>();
        Instant modified;
        int mode = 0755;

        Dir(long id, Instant modified) {
            this.id = id;
            this.modified = modified;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public int mode() {
            return mode;
        }

        @Override
        public void mode(int mode) {
            this.mode = mode;
        }

        @Override
        public void modified(Instant time) {
            modified = time;
        }
    }

    /** Guarded by the storage lock; {@code content} is never changed once stored. */
    private static final class File implements Node {
        final long id;
        final byte[] content;
        Instant modified;
        int mode = 0644;

        File(long id, byte[] content, Instant modified) {
            this.id = id;
            this.content = content;
            this.modified = modified;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public int mode() {
            return mode;
        }

        @Override
        public void mode(int mode) {
            this.mode = mode;
        }

        @Override
        public void modified(Instant time) {
            modified = time;
        }
    }

    /** Reads a snapshot of one file's bytes. */
    private static final class ReadChannel implements ReadableByteChannel {
        private final ByteBuffer remaining;
        private volatile boolean open = true;

        ReadChannel(ByteBuffer remaining) {
            this.remaining = remaining;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            if (!remaining.hasRemaining()) {
                return -1;
            }
            int count = Math.min(dst.remaining(), remaining.remaining());
            dst.put(remaining.slice(remaining.position(), count));
            remaining.position(remaining.position() + count);
            return count;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    /**
     * Collects the bytes privately and hands them to the tree on commit; the state machine is
     * {@link StagedUpload}'s. Its own lock lets ABOR abort from the control thread while the
     * transfer thread writes.
     */
    private final class MemoryUpload extends StagedUpload {
        private final ReentrantLock uploadLock = new ReentrantLock();
        private final StoragePath path;
        private final WriteMode mode;
        private final byte[] prefix;
        private final OptionalInt permissions;
        private byte[] buffer = new byte[8192];
        private int length;

        MemoryUpload(StoragePath path, WriteMode mode, byte[] prefix, OptionalInt permissions) {
            super(path, AbortStyle.IMMEDIATE);
            this.path = path;
            this.mode = mode;
            this.prefix = prefix;
            this.permissions = permissions;
        }

        @Override
        protected int write(ByteBuffer src) throws IOException {
            uploadLock.lock();
            try {
                if (buffer == null) {
                    throw new ClosedChannelException();
                }
                int count = src.remaining();
                if (length + (long) count > Integer.MAX_VALUE - 16) {
                    throw new IOException("No space left: a memory file holds at most 2 GiB");
                }
                if (length + count > buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.max(length + count, Math.min(buffer.length * 2, Integer.MAX_VALUE - 16)));
                }
                src.get(buffer, length, count);
                length += count;
                return count;
            } finally {
                uploadLock.unlock();
            }
        }

        @Override
        protected long publish() throws StorageException {
            uploadLock.lock();
            try {
                return store(path, mode, prefix, buffer, length, permissions);
            } finally {
                buffer = null;
                uploadLock.unlock();
            }
        }

        @Override
        protected void discard() {
            uploadLock.lock();
            try {
                buffer = null;
            } finally {
                uploadLock.unlock();
            }
        }
    }
}
