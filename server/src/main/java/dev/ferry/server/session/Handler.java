package dev.ferry.server.session;

import dev.ferry.server.session.Session;
import dev.ferry.server.protocol.Request;
import java.io.IOException;

/** Runs one command and sends its reply. */
@FunctionalInterface
public interface Handler {
    void handle(Session session, Request request) throws IOException;
}
