package dev.ferry.server.transfer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The data connection's input while an upload runs on the control thread (Transfer.start): it
 * lets at most {@link #BYTES} bytes through within {@link #MILLIS} ms, then throws {@link HandOff}
 * between two reads, and the upload goes on from there on a thread of its own. A small upload thus
 * ends without a thread, and a longer or slower one leaves the control thread free for ABOR and
 * STAT within that time. Nothing is lost at a hand-off: it comes before a read, never after one.
 */
final class HandOffInput extends FilterInputStream {

    /** What an upload may read on the control thread: a copy buffer's worth (Copier). */
    static final int BYTES = Copier.BUFFER_SIZE;
    /**
     * How long an upload may keep the control thread: a client's bytes follow our 150 after one
     * round trip, and an ABOR or STAT waits no longer than this.
     */
    static final long MILLIS = 100;

    /** The upload must go on on its own thread. */
    static final class HandOff extends IOException {
        HandOff() {
            super("upload handed off to its own thread");
        }

        @Override
        public Throwable fillInStackTrace() {
            return this; // control flow, not a failure: no stack to record
        }
    }

    private final Socket socket;
    private final long deadline;
    private long left = BYTES;
    private boolean here = true;

    HandOffInput(InputStream in, Socket socket) {
        super(in);
        this.socket = socket;
        this.deadline = System.nanoTime() + MILLIS * 1_000_000;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (!here) {
            return in.read(buffer, offset, length);
        }
        long wait = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0 || wait <= 0) {
            throw new HandOff();
        }
        socket.setSoTimeout((int) wait); // a field of the socket adaptor, no system call
        try {
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        } catch (SocketTimeoutException e) {
            throw new HandOff(); // the adaptor keeps the connection open after a timed-out read
        }
    }

    /** From now on reads wait as long as the data connection does (the stall watchdog bounds them). */
    void release() throws IOException {
        here = false;
        socket.setSoTimeout(0);
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not used on a data connection");
    }
}
