package dev.ferry.server.command;

import dev.ferry.server.access.Right;
import dev.ferry.server.protocol.Request;
import dev.ferry.server.protocol.StorageReplies;
import dev.ferry.server.session.Session;
import dev.ferry.server.transfer.RateLimiter;
import dev.ferry.server.transfer.TransferSlots;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * File checksums without downloading the file: HASH (draft-bryan-ftpext-hash-02) and the older
 * XCRC / XMD5 / XSHA1 / XSHA256 / XSHA512 that many clients send. A checksum the storage already
 * keeps (S3's ETag or stored CRC32) is used as is; otherwise the file is read once on the server.
 */
public final class HashCommands {

    /** The algorithms HASH offers, in FEAT order; the names are the draft's (section 3.1). */
    public static final List<String> ALGORITHMS = List.of("CRC32", "MD5", "SHA-1", "SHA-256", "SHA-512");

    /** What one read and one digest step handle before the carrier is yielded. */
    private static final int CHUNK = 64 * 1024;

    private HashCommands() {
    }

    /** HASH path: {@code 213 SHA-256 0-49 <hex> path} (draft section 3.3). */
    public static void hash(Session session, Request request) throws IOException {
        String algorithm = session.hashAlgorithm();
        Optional<Checksum> checksum = checksum(session, request, algorithm);
        if (checksum.isPresent()) {
            long size = checksum.get().size();
            String range = "0-" + Math.max(0, size - 1);
            session.reply(213, algorithm + " " + range + " " + checksum.get().hex() + " " + request.argument());
        }
    }

    /** XCRC, XMD5, XSHA1, XSHA256, XSHA512 path: {@code 250 <hex>}, as ProFTPD's mod_digest answers. */
    public static void legacy(Session session, Request request) throws IOException {
        String algorithm = switch (request.verb()) {
            case "XCRC" -> "CRC32";
            case "XMD5" -> "MD5";
            case "XSHA1" -> "SHA-1";
            case "XSHA256" -> "SHA-256";
            default -> "SHA-512";
        };
        Optional<Checksum> checksum = checksum(session, request, algorithm);
        if (checksum.isPresent()) {
            session.reply(250, checksum.get().hex());
        }
    }

    /** OPTS HASH [algorithm] (draft section 3.5): shows or selects the algorithm HASH uses. */
    static void opts(Session session, String value) throws IOException {
        if (value.isEmpty()) {
            session.reply(200, session.hashAlgorithm());
            return;
        }
        String chosen = value.toUpperCase(Locale.ROOT);
        if (!ALGORITHMS.contains(chosen)) {
            session.reply(501, "Unknown algorithm; choose one of " + String.join(", ", ALGORITHMS) + ".");
            return;
        }
        session.hashAlgorithm(chosen);
        session.reply(200, chosen);
    }

    /** The FEAT line: every algorithm, the selected one starred (draft section 3.2). */
    static String featLine(Session session) {
        StringBuilder line = new StringBuilder("HASH ");
        for (String algorithm : ALGORITHMS) {
            line.append(algorithm).append(algorithm.equals(session.hashAlgorithm()) ? "*" : "").append(';');
        }
        return line.substring(0, line.length() - 1);
    }

    private record Checksum(String hex, long size) {
    }

    private static Optional<Checksum> checksum(Session session, Request request, String algorithm) throws IOException {
        if (!request.hasArgument()) {
            session.reply(501, request.verb() + " needs a file name.");
            return Optional.empty();
        }
        StoragePath visible = session.user().virtualPath(request.argument());
        // the same rules as RETR: a checksum tells about the content
        if (!Guard.permit(session, Right.READ, visible)) {
            return Optional.empty();
        }
        try {
            FileInfo info = session.user().storage().stat(visible);
            if (info.isDirectory()) {
                session.reply(550, "Cannot compute a checksum: is a directory.");
                return Optional.empty();
            }
            if (!TransferCommands.worldReadable(session, info)) {
                Guard.deny(session, "read (anon_world_readable_only)", visible, 550, "Failed to open file.");
                return Optional.empty();
            }
            Optional<String> stored = session.user().storage().storedChecksum(visible, algorithm);
            String hex = stored.isPresent() ? stored.get() : compute(session, visible, algorithm);
            return Optional.of(new Checksum(hex, info.size()));
        } catch (StorageException e) {
            session.reply(StorageReplies.reply(e, "Cannot compute a checksum"));
            return Optional.empty();
        } catch (Busy e) {
            session.reply(450, "Cannot compute a checksum now: " + e.getMessage());
            return Optional.empty();
        } catch (IOException e) {
            session.reply(451, "Cannot compute a checksum: the file could not be read.");
            return Optional.empty();
        }
    }

    /**
     * Reads the whole file on the control thread, so it is bounded like a download: it holds a
     * max_transfers slot (a client cannot start digests beside a full set of transfers), reads at
     * the session's and the server's download rate, and yields the carrier after every chunk, since
     * virtual threads are not time-sliced and a digest is CPU work.
     */
    private static String compute(Session session, StoragePath path, String algorithm)
            throws StorageException, IOException {
        TransferSlots slots = session.server().transferSlots();
        if (!slots.tryAcquire()) {
            throw new Busy();
        }
        RateLimiter limit = session.transfers().readLimit();
        try (ReadableByteChannel in = session.user().storage().openRead(path, 0)) {
            ByteBuffer buffer = ByteBuffer.allocate(Math.min(CHUNK, limit.chunk()));
            Digest digest = Digest.of(algorithm);
            int read;
            while ((read = in.read(buffer.clear())) >= 0) {
                limit.acquire(read);
                digest.update(buffer.flip());
                Thread.yield();
            }
            return digest.hex();
        } finally {
            slots.release();
        }
    }

    /** max_transfers is reached: the checksum waits like a transfer would. */
    private static final class Busy extends IOException {
        Busy() {
            super(TransferSlots.BUSY);
        }
    }

    /** CRC32 or a MessageDigest behind one interface. */
    private interface Digest {
        void update(ByteBuffer bytes);

        String hex();

        static Digest of(String algorithm) {
            if (algorithm.equals("CRC32")) {
                CRC32 crc = new CRC32();
                return new Digest() {
                    public void update(ByteBuffer bytes) {
                        crc.update(bytes);
                    }

                    public String hex() {
                        return String.format(Locale.ROOT, "%08x", crc.getValue());
                    }
                };
            }
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has " + algorithm, e);
            }
            return new Digest() {
                public void update(ByteBuffer bytes) {
                    digest.update(bytes);
                }

                public String hex() {
                    return HexFormat.of().formatHex(digest.digest());
                }
            };
        }
    }
}
