package dev.ferry.server.command;

import dev.ferry.server.listing.ListingWriter;
import dev.ferry.server.protocol.Reply;
import dev.ferry.server.transfer.DataStreams;
import dev.ferry.server.transfer.TransferJob;
import dev.ferry.storage.FileInfo;
import dev.ferry.storage.Listing;
import dev.ferry.storage.Storage;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * LIST -R (ls_recurse_enable): walks the tree on the transfer thread, depth first like ls -R. Only
 * the names of one directory's subdirectories are held at a time per level. {@code storage} is the
 * session's view, so paths are as the client sees them.
 *
 * @param start     the directory listed, as the client sees it
 * @param base      how the client named it ("." for the working directory), for the headers
 * @param shown     which entries are shown (dot files, hide_file)
 * @param listable  which visible directories the session may list (rules, deny_file)
 */
record RecursiveListingJob(Storage storage, StoragePath start, String base,
                           Predicate<FileInfo> shown, Predicate<StoragePath> listable,
                           ListingCommands.LineFormat line, String opening) implements TransferJob {

    /** A bound on the walk: vsftpd has none, and one LIST must not walk a whole bucket. */
    static final int MAX_DIRECTORIES = 10_000;

    private record Pending(StoragePath visible, String header) {
    }

    @Override
    public void run(DataStreams data) throws IOException, StorageException {
        ListingWriter out = new ListingWriter(data.output());
        StringBuilder text = new StringBuilder(128);
        Deque<Pending> pending = new ArrayDeque<>();
        pending.push(new Pending(start, null));
        int directories = 0;
        while (!pending.isEmpty() && directories++ < MAX_DIRECTORIES) {
            Pending dir = pending.pop();
            if (dir.header() != null) {
                out.line("");
                out.line(dir.header() + ":");
            }
            List<Pending> children = new ArrayList<>();
            try (Listing listing = storage.list(dir.visible())) {
                for (FileInfo entry : listing) {
                    if (!shown.test(entry)) {
                        continue;
                    }
                    text.setLength(0);
                    line.append(text, entry, entry.name());
                    out.line(text);
                    StoragePath child = dir.visible().child(entry.name());
                    if (entry.isDirectory() && listable.test(child)) {
                        String header = (dir.header() == null ? base : dir.header()) + "/" + entry.name();
                        children.add(new Pending(child, header));
                    }
                }
            } catch (Listing.ListingFailure e) {
                out.flush();
                throw e.failure();
            } catch (StorageException.NotFound | StorageException.NotADirectory gone) {
                // removed or replaced while we walked: skip it, as ls does
            }
            // push in reverse so the first child is listed next
            for (int i = children.size() - 1; i >= 0; i--) {
                pending.push(children.get(i));
            }
        }
        out.flush();
    }

    @Override
    public Reply complete() {
        return Reply.of(226, "Directory send OK.");
    }

    @Override
    public void release() {
        // every listing is closed by the walk itself
    }
}
