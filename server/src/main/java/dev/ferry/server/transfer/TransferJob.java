package dev.ferry.server.transfer;

import dev.ferry.server.protocol.Reply;
import dev.ferry.storage.StorageException;
import java.io.IOException;

/**
 * What one transfer does, prepared by the control thread (the file is opened, the upload started)
 * so errors such as 550 come before any data connection is made; run on the transfer thread.
 */
public interface TransferJob {

    /** The text of the 150 reply sent once the data connection is open. */
    String opening();

    /** Moves the bytes over {@code data}, whose streams count and pace them. */
    void run(DataStreams data) throws IOException, StorageException;

    /** After the data connection closed cleanly: commit what needs it; the final 2xx reply. */
    Reply complete() throws StorageException;

    /** Releases what the job holds; aborts an uncommitted upload. Called on every path, maybe twice. */
    void release();

    /**
     * Whether the job moves so few bytes, from where reading never waits, that a plain data
     * connection takes them all at once: then it may run on the control thread (Transfer.start).
     */
    default boolean small() {
        return false;
    }

    /** The reply when the storage side failed mid-transfer (RETR: reading, STOR: writing). */
    default Reply storageFailure() {
        return Reply.of(451, "Failure reading local file.");
    }
}
