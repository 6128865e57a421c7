package dev.ferry.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;

/**
 * {@link BenchClient}'s twin over explicit FTPS: AUTH TLS, PBSZ 0, PROT P, TLS 1.3 only, trusting
 * the throwaway benchmark certificate. Commons Net cannot resume the control connection's TLS
 * session on a data connection, so every data connection is a full handshake and the server must
 * run with require_ssl_reuse=NO.
 */
final class TlsBenchClient extends FTPSClient {

    private static final int TIMEOUT_MILLIS = 60_000;

    private final byte[] buffer = new byte[64 * 1024];

    private TlsBenchClient() {
        super("TLS", false);
    }

    static TlsBenchClient login(int port, String user, String password) throws IOException {
        TlsBenchClient client = new TlsBenchClient();
        client.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        client.setEnabledProtocols(new String[] {"TLSv1.3"});
        client.setConnectTimeout(TIMEOUT_MILLIS);
        client.setDefaultTimeout(TIMEOUT_MILLIS);
        try {
            client.connect("127.0.0.1", port);
            client.setTcpNoDelay(true);
            client.setSoTimeout(TIMEOUT_MILLIS);
            if (!client.login(user, password)) {
                throw new IOException("login as " + user + " refused: " + client.getReplyString().strip());
            }
            client.execPBSZ(0);
            client.execPROT("P");
            client.enterLocalPassiveMode();
            if (!client.setFileType(FTP.BINARY_FILE_TYPE)) {
                throw new IOException("TYPE I refused: " + client.getReplyString().strip());
            }
            return client;
        } catch (IOException e) {
            client.quietly();
            throw e;
        }
    }

    long retrieve(String name) throws IOException {
        long total;
        try (Socket data = openData("RETR", name); InputStream in = data.getInputStream()) {
            total = DataCopy.drain(in, buffer, null);
        }
        finish("RETR " + name);
        return total;
    }

    long store(String name, byte[] pattern, long size) throws IOException {
        try (Socket data = openData("STOR", name); OutputStream out = data.getOutputStream()) {
            DataCopy.fill(out, pattern, size);
        }
        finish("STOR " + name);
        return size;
    }

    void quietly() {
        try {
            if (isConnected()) {
                quit();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            disconnect();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    private Socket openData(String command, String argument) throws IOException {
        Socket data = _openDataConnection_(command, argument);
        if (data == null) {
            throw new IOException(command + " " + argument + " refused: " + getReplyString().strip());
        }
        return data;
    }

    private void finish(String what) throws IOException {
        if (!completePendingCommand()) {
            throw new IOException(what + " failed: " + getReplyString().strip());
        }
    }
}
