package dev.ferry.storage.local;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves paths inside one jail as the kernel resolves them on the host (links are host links:
 * an absolute target names a host path), but one component at a time from open directories, so
 * that checking a component and using it are one step, and refusing whatever leaves the jail. For each component: lstat it through the directory's descriptor (fstatat, no follow); a
 * directory is opened with openat and {@code O_NOFOLLOW} and becomes the next step; a symbolic link
 * is read (the only call made by path, see below) and its target's names are resolved in its place:
 * a relative target from the link's directory, an absolute one from the jail root once the jail's
 * real path is stripped from it. {@code ..} in a target pops the stack of directories actually
 * walked through, never a name taken from the path text; {@code ..} at the jail root, or an absolute
 * target not below the jail's real path, leaves the jail: the path is then as if absent.
 *
 * <p>Only a link's target text is read by path ({@link Files#readSymbolicLink} on the jail's real path
 * plus the names walked). If someone swaps a component meanwhile, that text may come from another
 * link, but it is still resolved from the descriptors this walk holds, inside the jail: a race can
 * move a walk elsewhere inside the jail, never out of it. What no walk can prevent: a directory it
 * holds open being moved out of the jail by someone else while the operation runs (the operation
 * then finishes in that directory, as a process whose working directory is moved out of its chroot).
 *
 * <p>Each directory is lstat-ed before it is opened, and files are checked the same way before
 * operations open them, because opening a FIFO for reading blocks until a writer comes (and opening
 * a device may act on it). Between that lstat and the open, a local user can swap in a FIFO and
 * leave that one operation hanging; Java offers no O_NONBLOCK or O_DIRECTORY to close this.
 *
 * <p>Cost: per directory walked, fstatat and openat, plus what opening a directory stream takes
 * (fdopendir: dup, fstat, two fcntl; two closes). Nothing is cached between operations: a cached
 * descriptor would outlive the check that made it.
 *
 * <p>A walk belongs to one operation (one thread) and closes the directories it opened.
 */
final class Walk implements AutoCloseable {

    /** Links expanded in one resolution before giving up, as Linux's ELOOP limit. */
    static final int MAX_LINKS = 40;

    private static final Path DOT = Path.of(".");

    private final Dir root;
    private final Path real;
    private final Attributes attributes;
    /** The directories walked through below the root, their names and their own attributes. */
    private final ArrayList<Dir> frames;
    private final ArrayList<Path> names;
    private final ArrayList<BasicFileAttributes> frameAttributes;

    Walk(Dir root, Path real, Attributes attributes) {
        this(root, real, attributes, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    private Walk(Dir root, Path real, Attributes attributes, ArrayList<Dir> frames, ArrayList<Path> names,
                 ArrayList<BasicFileAttributes> frameAttributes) {
        this.root = root;
        this.real = real;
        this.attributes = attributes;
        this.frames = frames;
        this.names = names;
        this.frameAttributes = frameAttributes;
    }

    /** The jail root's real path (absolute link targets are inside only below it). */
    Path real() {
        return real;
    }

    /** A walk standing where this one stands, borrowing its directories (which this one closes). */
    Walk fork() {
        ArrayList<Dir> borrowed = new ArrayList<>(frames.size());
        for (Dir frame : frames) {
            borrowed.add(frame.borrow());
        }
        return new Walk(root.borrow(), real, attributes, borrowed, new ArrayList<>(names),
                new ArrayList<>(frameAttributes));
    }

    /** A walk from this jail's root, borrowing it. */
    Walk restart() {
        return new Walk(root.borrow(), real, attributes);
    }

    /**
     * Resolves a client path from the jail root. Every component but the last must be a directory
     * (links followed); the last one is followed too when {@code followLast}, else returned as it is.
     * A missing last component gives an entry without attributes in its (resolved) directory.
     *
     * @param creating whether the caller means to create or replace what the last component names:
     *                 a last component that leads outside is then refused as AccessDenied; for
     *                 everything else leaving the jail is NotFound (as if the link were absent)
     */
    Entry resolve(StoragePath path, boolean followLast, boolean creating) throws StorageException {
        ArrayDeque<Path> pending = new ArrayDeque<>(path.segments().size());
        for (String segment : path.segments()) {
            pending.addLast(clientName(path, segment));
        }
        return run(path, pending, pending.size(), followLast, creating);
    }

    /**
     * Follows the entry {@code name} of the directory this walk stands in (a link found by a listing,
     * or at the end of a path resolved without following), as {@link #resolve} would as its last component.
     */
    Entry follow(StoragePath path, Path name, boolean creating) throws StorageException {
        ArrayDeque<Path> pending = new ArrayDeque<>(1);
        pending.add(name);
        return run(path, pending, 1, true, creating);
    }

    /**
     * Opens the directory {@code entry} (which this walk just resolved) for listing or walking its
     * tree. Below the root the walk steps into it and lends it; the root itself is opened afresh,
     * because a directory stream can be iterated only once and the root's may be shared.
     */
    Dir enter(StoragePath path, Entry entry) throws StorageException {
        if (entry.isRoot()) {
            try {
                return Dir.owned(root.stream().newDirectoryStream(DOT, LinkOption.NOFOLLOW_LINKS));
            } catch (IOException e) {
                throw IoErrors.map(path, e);
            }
        }
        push(path, entry.name(), entry.attributes());
        return here().borrow();
    }

    /** A walk whose jail is the directory {@code entry} (just resolved by this walk): a scoped view's root. */
    Walk into(StoragePath path, Entry entry) throws StorageException {
        if (entry.isRoot()) {
            return new Walk(root.handOver(), real, attributes);
        }
        try {
            SecureDirectoryStream<Path> inner = entry.dir().stream().newDirectoryStream(entry.name(),
                    LinkOption.NOFOLLOW_LINKS);
            return new Walk(Dir.owned(inner), lexical(entry.name()), attributes);
        } catch (IOException e) {
            throw IoErrors.map(path, e);
        }
    }

    /** The directory the walk stands in, kept open past {@link #close()} for whoever takes it (an upload). */
    Dir detachHere() {
        return here().handOver();
    }

    /** Where {@code entry} really is, relative to the jail root. */
    StoragePath canonical(StoragePath path, Entry entry) throws StorageException {
        List<String> segments = new ArrayList<>(names.size() + 1);
        for (Path name : names) {
            segments.add(name.toString());
        }
        if (!entry.isRoot()) {
            segments.add(entry.name().toString());
        }
        try {
            return new StoragePath(segments);
        } catch (StoragePath.InvalidPathException e) {
            // a link target holding a name no client can use (CR, LF)
            throw new StorageException.NotFound(path);
        }
    }

    /**
     * The path of {@code name} in the directory the walk stands in, as text from the jail's real
     * path. Only for calls Java has no descriptor-relative form of (readlink, mkdir); see the
     * class comments of this class and of {@link DirectoryCreation}.
     */
    Path lexical(Path name) {
        Path result = real;
        for (Path step : names) {
            result = result.resolve(step);
        }
        return result.resolve(name);
    }

    private Dir here() {
        return frames.isEmpty() ? root : frames.getLast();
    }

    private Entry run(StoragePath path, ArrayDeque<Path> pending, int clientLeft, boolean followLast,
                      boolean creating) throws StorageException {
        int links = 0;
        while (!pending.isEmpty()) {
            // names from link targets are queued in front of the client's remaining ones
            boolean fromClient = pending.size() == clientLeft;
            Path name = pending.removeFirst();
            if (fromClient) {
                clientLeft--;
            }
            String text = name.toString();
            if (text.equals(".")) {
                continue;
            }
            if (text.equals("..")) {
                if (names.isEmpty()) {
                    throw leftTheJail(path, creating, clientLeft);
                }
                pop();
                continue;
            }
            if (!fromClient && TempFiles.isReserved(text)) {
                // a link into an upload in progress: those files are nobody's to read yet
                throw new StorageException.NotFound(path);
            }
            boolean last = pending.isEmpty();
            BasicFileAttributes own = lstat(path, name);
            if (own == null) {
                if (last) {
                    return new Entry(here(), name, null);
                }
                throw new StorageException.NotFound(path);
            }
            if (own.isSymbolicLink() && (followLast || !last)) {
                if (++links > MAX_LINKS) {
                    throw new StorageException.NotFound(path);
                }
                expand(path, name, pending, creating, clientLeft);
                continue;
            }
            if (last) {
                return new Entry(here(), name, own);
            }
            if (!own.isDirectory()) {
                throw own.isRegularFile() ? new StorageException.NotADirectory(path) : new StorageException.NotFound(path);
            }
            push(path, name, own);
        }
        return standingHere(path);
    }

    /** Queues the target of the link {@code name} in its place. */
    private void expand(StoragePath path, Path name, ArrayDeque<Path> pending, boolean creating, int clientLeft)
            throws StorageException {
        Path target = readLink(path, name);
        if (target.toString().isEmpty()) {
            throw new StorageException.NotFound(path);
        }
        if (target.isAbsolute()) {
            if (!target.startsWith(real)) {
                throw leftTheJail(path, creating, clientLeft);
            }
            while (!names.isEmpty()) {
                pop();
            }
            int skip = real.getNameCount();
            for (int i = target.getNameCount() - 1; i >= skip; i--) {
                pending.addFirst(target.getName(i));
            }
            return;
        }
        for (int i = target.getNameCount() - 1; i >= 0; i--) {
            pending.addFirst(target.getName(i));
        }
    }

    /** The resolution ended on a directory it stepped into (a target ending in {@code ..} or {@code .}). */
    private Entry standingHere(StoragePath path) throws StorageException {
        if (names.isEmpty()) {
            try {
                return new Entry(root, null, attributes.fstat(root.stream()));
            } catch (IOException e) {
                throw IoErrors.map(path, e);
            }
        }
        Path name = names.getLast();
        BasicFileAttributes own = frameAttributes.getLast();
        pop();
        return new Entry(here(), name, own);
    }

    private BasicFileAttributes lstat(StoragePath path, Path name) throws StorageException {
        try {
            return attributes.lstat(here().stream(), name);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw IoErrors.map(path, e);
        }
    }

    private Path readLink(StoragePath path, Path name) throws StorageException {
        try {
            return Files.readSymbolicLink(lexical(name));
        } catch (NotLinkException | NoSuchFileException changed) {
            // swapped since the lstat: as if absent rather than a guess
            throw new StorageException.NotFound(path);
        } catch (IOException e) {
            throw IoErrors.map(path, e);
        }
    }

    private void push(StoragePath path, Path name, BasicFileAttributes own) throws StorageException {
        SecureDirectoryStream<Path> next;
        try {
            next = here().stream().newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            // ELOOP here means a link was swapped in since the lstat: IoErrors reads it as NotFound
            throw IoErrors.map(path, e);
        }
        frames.add(Dir.owned(next));
        names.add(name);
        frameAttributes.add(own);
    }

    private void pop() {
        frames.removeLast().close();
        names.removeLast();
        frameAttributes.removeLast();
    }

    private static StorageException leftTheJail(StoragePath path, boolean creating, int clientLeft) {
        if (creating && clientLeft == 0) {
            return new StorageException.AccessDenied(path, "symbolic link leads outside the root");
        }
        return new StorageException.NotFound(path);
    }

    private static Path clientName(StoragePath path, String segment) throws StorageException {
        if (TempFiles.isReserved(segment)) {
            throw new StorageException.InvalidName(path, "names starting with " + TempFiles.PREFIX
                    + " are reserved for uploads in progress");
        }
        try {
            return Path.of(segment);
        } catch (InvalidPathException e) {
            // the JVM's file name encoding (sun.jnu.encoding, from the locale) cannot express it
            throw new StorageException.InvalidName(path, "the file system encoding cannot express this name");
        }
    }

    @Override
    public void close() {
        while (!frames.isEmpty()) {
            pop();
        }
        root.close();
    }
}
