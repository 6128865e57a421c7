package dev.ferry.server.transfer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * The two directions of a data connection as a job sees them: every byte is counted in the
 * transfer's {@link Progress} (STAT, the stall watchdog, the logs) and paced by its rate limits, so
 * RETR, STOR, APPE, STOU and the listings are all limited the same way.
 *
 * @param input  client to server (uploads), paced by the upload limits
 * @param output server to client (downloads and listings), paced by the download limits
 * @param files  sendfile to the data connection, for a download of a file as it is: present only on
 *               a plain connection (no TLS) without a download limit; it counts its bytes too
 * @param receiver the data connection read straight into a channel, for an upload stored as it
 *               comes: present only on a plain connection without an upload limit; it counts too
 */
public record DataStreams(InputStream input, OutputStream output, Optional<FileSender> files,
                          Optional<UploadReceiver> receiver) {

    static DataStreams metered(InputStream in, OutputStream out, Progress progress, RateLimiter upload,
                               RateLimiter download, Optional<FileSender> files, Optional<UploadReceiver> receiver) {
        return new DataStreams(new MeteredInput(in, progress, upload), new MeteredOutput(out, progress, download),
                download == RateLimiter.UNLIMITED ? files : Optional.empty(),
                upload == RateLimiter.UNLIMITED ? receiver : Optional.empty());
    }

    /** Reads at most one chunk at a time, then pays for what arrived. */
    private static final class MeteredInput extends FilterInputStream {
        private final Progress progress;
        private final RateLimiter limiter;

        MeteredInput(InputStream in, Progress progress, RateLimiter limiter) {
            super(in);
            this.progress = progress;
            this.limiter = limiter;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                progress.add(1);
                limiter.acquire(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, Math.min(length, limiter.chunk()));
            if (n > 0) {
                progress.add(n);
                limiter.acquire(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("skip is not used on a data connection");
        }
    }

    /** Pays for each chunk, then writes it. */
    private static final class MeteredOutput extends OutputStream {
        private final OutputStream out;
        private final Progress progress;
        private final RateLimiter limiter;

        MeteredOutput(OutputStream out, Progress progress, RateLimiter limiter) {
            this.out = out;
            this.progress = progress;
            this.limiter = limiter;
        }

        @Override
        public void write(int b) throws IOException {
            limiter.acquire(1);
            out.write(b);
            progress.add(1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            int chunk = limiter.chunk();
            while (length > 0) {
                int n = Math.min(length, chunk);
                limiter.acquire(n);
                out.write(bytes, offset, n);
                progress.add(n);
                offset += n;
                length -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
