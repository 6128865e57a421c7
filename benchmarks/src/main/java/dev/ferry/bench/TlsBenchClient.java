package dev.ferry.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
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
            ClientSteps.logInBinary(client, user, password);
            client.execPBSZ(0);
            client.execPROT("P");
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
        ClientSteps.finish(this, "RETR " + name);
        return total;
    }

    long store(String name, byte[] pattern, long size) throws IOException {
        try (Socket data = openData("STOR", name); OutputStream out = data.getOutputStream()) {
            DataCopy.fill(out, pattern, size);
        }
        ClientSteps.finish(this, "STOR " + name);
        return size;
    }

    /** QUIT and close, ignoring failures: used on the way out. */
    void quietly() {
        ClientSteps.quietly(this);
    }

    private Socket openData(String command, String argument) throws IOException {
        Socket data = _openDataConnection_(command, argument);
        if (data == null) {
            throw new IOException(command + " " + argument + " refused: " + getReplyString().strip());
        }
        return data;
    }
}
