package dev.ferry.bench;

import java.io.IOException;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;

/**
 * The steps {@link BenchClient} and {@link TlsBenchClient} share. They extend different Commons
 * Net classes (FTPClient and FTPSClient), so they share these as functions, not as a superclass.
 */
final class ClientSteps {

    private ClientSteps() {
    }

    /** USER/PASS, then passive binary mode; fails with the server's reply. */
    static void logInBinary(FTPClient client, String user, String password) throws IOException {
        if (!client.login(user, password)) {
            throw new IOException("login as " + user + " refused: " + client.getReplyString().strip());
        }
        client.enterLocalPassiveMode();
        if (!client.setFileType(FTP.BINARY_FILE_TYPE)) {
            throw new IOException("TYPE I refused: " + client.getReplyString().strip());
        }
    }

    /** Reads the final reply of a transfer; fails unless it is positive. */
    static void finish(FTPClient client, String what) throws IOException {
        if (!client.completePendingCommand()) {
            throw new IOException(what + " failed: " + client.getReplyString().strip());
        }
    }

    /** QUIT and close, ignoring failures: used on the way out. */
    static void quietly(FTPClient client) {
        try {
            if (client.isConnected()) {
                client.quit();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            client.disconnect();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
