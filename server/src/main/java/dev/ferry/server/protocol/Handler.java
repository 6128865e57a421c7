package dev.ferry.server.protocol;

import dev.ferry.server.session.Session;
import java.io.IOException;

/** Runs one command and sends its reply. */
@FunctionalInterface
public interface Handler {
    void handle(Session session, Request request) throws IOException;
}
