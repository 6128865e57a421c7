package dev.ferry.storage;

import java.util.Iterator;

/**
 * The names in a directory, read as a cursor without each entry's attributes: what NLST shows, as
 * vsftpd and pure-ftpd show it (a readdir, no stat per entry). Close it to release what it holds.
 * Iteration may throw {@link Listing.ListingFailure} when a later page fails, as a {@link Listing}.
 */
public interface NameListing extends Iterable<String>, AutoCloseable {

    @Override
    Iterator<String> iterator();

    @Override
    void close();

    /** The names of the entries of {@code listing}; closing this closes it. */
    static NameListing of(Listing listing) {
        return new NameListing() {
            @Override
            public Iterator<String> iterator() {
                Iterator<FileInfo> entries = listing.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return entries.hasNext();
                    }

                    @Override
                    public String next() {
                        return entries.next().name();
                    }
                };
            }

            @Override
            public void close() {
                listing.close();
            }
        };
    }
}
