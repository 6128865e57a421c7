package dev.ferry.server.net;

import dev.ferry.server.net.PassivePorts;
import java.io.IOException;
import java.net.InetSocketAddress;

/** Where the next data connection comes from: set by PASV/EPSV or PORT/EPRT, used once. */
public sealed interface DataEndpoint extends AutoCloseable {

    /** We listen; the client connects (PASV, EPSV). */
    record Passive(PassivePorts.Listening listener) implements DataEndpoint {
        @Override
        public void close() {
            try {
                listener.close();
            } catch (IOException ignored) {
                // nothing to release beyond the socket itself
            }
        }
    }

    /** We connect to the client (PORT, EPRT). */
    record Active(InetSocketAddress target) implements DataEndpoint {
        @Override
        public void close() {
        }
    }

    @Override
    void close();
}
