package dev.ferry.storage.local;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

class IoErrorsTest {

    private static final StoragePath PATH = StoragePath.parse("/f");

    @Test
    void jdkExceptionClassesMapToTheirKinds() {
        assertInstanceOf(StorageException.NotFound.class, IoErrors.map(PATH, new NoSuchFileException("f")));
        assertInstanceOf(StorageException.AlreadyExists.class, IoErrors.map(PATH, new FileAlreadyExistsException("f")));
        assertInstanceOf(StorageException.DirectoryNotEmpty.class, IoErrors.map(PATH, new DirectoryNotEmptyException("f")));
        assertInstanceOf(StorageException.AccessDenied.class, IoErrors.map(PATH, new AccessDeniedException("f")));
        assertInstanceOf(StorageException.NotADirectory.class, IoErrors.map(PATH, new NotDirectoryException("f")));
    }

    @Test
    void errnoMessagesMapToTheirKinds() {
        assertInstanceOf(StorageException.InsufficientSpace.class, reason("No space left on device"));
        assertInstanceOf(StorageException.InsufficientSpace.class, reason("Disk quota exceeded"));
        assertInstanceOf(StorageException.NotADirectory.class, reason("Not a directory"));
        assertInstanceOf(StorageException.IsADirectory.class, reason("Is a directory"));
        assertInstanceOf(StorageException.InvalidName.class, reason("File name too long"));
        assertInstanceOf(StorageException.AccessDenied.class, reason("Read-only file system"));
        assertInstanceOf(StorageException.Failed.class, reason("Input/output error"));
        // an O_NOFOLLOW open that met a link swapped in after the jail looked: as if absent
        assertInstanceOf(StorageException.NotFound.class, reason("Too many levels of symbolic links (NOFOLLOW_LINKS specified)"));
    }

    @Test
    void aFullDiskDuringWriteIsInsufficientSpace() {
        // FileChannel.write reports ENOSPC as a plain IOException
        assertInstanceOf(StorageException.InsufficientSpace.class, IoErrors.map(PATH, new IOException("No space left on device")));
        assertInstanceOf(StorageException.Failed.class, IoErrors.map(PATH, new IOException()));
    }

    private static StorageException reason(String text) {
        return IoErrors.map(PATH, new FileSystemException("/x/f", null, text));
    }
}
