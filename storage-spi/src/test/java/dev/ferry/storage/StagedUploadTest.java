package dev.ferry.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The state machine itself, with a backend that records what it was asked to do. */
@Timeout(10)
class StagedUploadTest {

    private static final StoragePath PATH = StoragePath.ROOT.resolve("f");

    /** Records its calls; a write can be made to block until released, publish to fail. */
    private static final class Recording extends StagedUpload {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean blockWrites;
        volatile boolean failPublish;
        long staged;

        Recording(AbortStyle style) {
            super(PATH, style);
        }

        @Override
        protected int write(ByteBuffer src) throws IOException {
            calls.add("write");
            if (blockWrites) {
                writing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            int count = src.remaining();
            src.position(src.limit());
            staged += count;
            return count;
        }

        @Override
        protected long publish() throws StorageException {
            calls.add("publish");
            if (failPublish) {
                throw new StorageException.AlreadyExists(PATH);
            }
            return staged;
        }

        @Override
        protected void discard() {
            calls.add("discard");
            release.countDown();
        }

        @Override
        protected void ended() {
            calls.add("ended");
        }
    }

    @Test
    void commitPublishesOnceAndEndsOnce() throws Exception {
        for (StagedUpload.AbortStyle style : StagedUpload.AbortStyle.values()) {
            Recording upload = new Recording(style);
            upload.stream().write(ByteBuffer.wrap(new byte[7]));
            assertEquals(7, upload.commit());
            assertThrows(StorageException.Failed.class, upload::commit);
            upload.abort();
            upload.close();
            assertEquals(List.of("write", "publish", "ended"), upload.calls);
            assertThrows(IOException.class, () -> upload.stream().write(ByteBuffer.wrap(new byte[1])));
        }
    }

    @Test
    void aFailedPublishDiscardsOnceAndCannotBeRetried() {
        for (StagedUpload.AbortStyle style : StagedUpload.AbortStyle.values()) {
            Recording upload = new Recording(style);
            upload.failPublish = true;
            assertThrows(StorageException.AlreadyExists.class, upload::commit);
            StorageException again = assertThrows(StorageException.Failed.class, upload::commit);
            assertTrue(again.getMessage().contains("aborted"), again.getMessage());
            upload.close();
            assertEquals(List.of("publish", "discard", "ended"), upload.calls);
        }
    }

    @Test
    void abortTwiceDiscardsOnce() {
        for (StagedUpload.AbortStyle style : StagedUpload.AbortStyle.values()) {
            Recording upload = new Recording(style);
            upload.abort();
            upload.abort();
            upload.close();
            assertThrows(StorageException.Failed.class, upload::commit);
            assertFalse(upload.stream().isOpen());
            assertEquals(List.of("discard", "ended"), upload.calls);
        }
    }

    @Test
    void immediateAbortDiscardsWhileAWriteIsBlocked() throws Exception {
        Recording upload = new Recording(StagedUpload.AbortStyle.IMMEDIATE);
        upload.blockWrites = true;
        try (ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> write = writer.submit(() -> upload.stream().write(ByteBuffer.wrap(new byte[3])));
            assertTrue(upload.writing.await(5, TimeUnit.SECONDS));
            upload.abort();
            // the abort discarded on this thread, which (like closing a FileChannel) woke the writer
            assertEquals(List.of("write", "discard", "ended"), upload.calls);
            ExecutionException failed = assertThrows(ExecutionException.class, write::get);
            assertTrue(failed.getCause() instanceof IOException);
        }
    }

    @Test
    void afterWriteAbortLeavesTheDiscardToTheWriter() throws Exception {
        Recording upload = new Recording(StagedUpload.AbortStyle.AFTER_WRITE);
        upload.blockWrites = true;
        try (ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> write = writer.submit(() -> upload.stream().write(ByteBuffer.wrap(new byte[3])));
            assertTrue(upload.writing.await(5, TimeUnit.SECONDS));
            upload.abort();
            // never close a stream under a write in progress: only marked so far
            assertEquals(List.of("write"), upload.calls);
            upload.release.countDown();
            ExecutionException failed = assertThrows(ExecutionException.class, write::get);
            assertTrue(failed.getCause() instanceof IOException);
            assertEquals(List.of("write", "discard", "ended"), upload.calls);
        }
        upload.close();
        assertEquals(List.of("write", "discard", "ended"), upload.calls);
    }
}
