package dev.ferry.storage.vfs;

/**
 * What one path of the backend is by itself, as lstat sees it: a link is reported as a link with its
 * stored target, never as what it points to.
 */
sealed interface Node {

    Node MISSING = new Missing();
    Node DIRECTORY = new Directory();
    Node FILE = new File();

    record Missing() implements Node {
    }

    record Directory() implements Node {
    }

    /** Anything that is neither a directory nor a link (a regular file, a device, a socket). */
    record File() implements Node {
    }

    /**
     * @param target the link's text as stored: relative to the directory holding the link, or absolute
     *               in the backend host's own namespace (the local disk's, the SFTP server's)
     */
    record Link(String target) implements Node {
    }
}
