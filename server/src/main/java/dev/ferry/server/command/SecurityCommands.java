package dev.ferry.server.command;

import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.protocol.Request;
import dev.ferry.server.session.Session;
import java.io.IOException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTH, PBSZ, PROT and CCC: FTPS as RFC 4217 defines it (the RFC 2228 security commands over
 * TLS), with vsftpd's reply texts. The dispatcher answers 502 for all of them without ssl_enable.
 */
public final class SecurityCommands {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityCommands.class);

    private SecurityCommands() {
    }

    /**
     * AUTH TLS (RFC 4217 section 4): 234, then the TLS handshake on the control connection. AUTH SSL
     * and TLS-P are what old clients send; like vsftpd, they also turn on PROT P, which is what
     * those clients expect (draft-murray-auth-ftp-ssl).
     */
    public static void auth(Session session, Request request) throws IOException {
        if (session.tlsNegotiated()) {
            session.reply(503, "Already using TLS.");
            return;
        }
        String mechanism = request.argument().trim().toUpperCase(Locale.ROOT);
        switch (mechanism) {
            case "TLS", "TLS-C", "SSL", "TLS-P" -> {
                session.reply(234, "Proceed with negotiation.");
                try {
                    session.startTls();
                } catch (IOException e) {
                    // the connection is in an unknown state: nothing can be said on it in clear or in TLS
                    LOG.info("TLS handshake on the control connection failed: {}", e.getMessage());
                    throw e;
                }
                if (mechanism.equals("SSL") || mechanism.equals("TLS-P")) {
                    session.dataProtected(true);
                }
            }
            default -> session.reply(504, "Unknown AUTH type.");
        }
    }

    /** PBSZ (RFC 4217 section 8): TLS protects data in its own records, so the only size is 0. */
    public static void pbsz(Session session, Request request) throws IOException {
        if (!session.tlsNegotiated()) {
            session.reply(503, "PBSZ needs a secure connection.");
            return;
        }
        // vsftpd answers any size like this; RFC 4217 lets the server reply with the size it uses
        session.reply(200, "PBSZ set to 0.");
    }

    /**
     * PROT (RFC 4217 section 9): C clear or P private data connections. Like vsftpd, PROT is
     * accepted without an earlier PBSZ, which some clients skip.
     */
    public static void prot(Session session, Request request) throws IOException {
        if (!session.tlsNegotiated()) {
            session.reply(503, "PROT needs a secure connection.");
            return;
        }
        switch (request.argument().trim().toUpperCase(Locale.ROOT)) {
            case "C" -> {
                session.dataProtected(false);
                session.reply(200, "PROT now Clear.");
            }
            case "P" -> {
                session.dataProtected(true);
                session.reply(200, "PROT now Private.");
            }
            case "S", "E" -> session.reply(536, "PROT not supported.");
            default -> session.reply(504, "PROT not recognized.");
        }
    }

    /**
     * CCC (RFC 4217 section 6): the control connection goes back to plain text, for NAT routers
     * that must rewrite PORT/PASV. It also lets anyone on the path inject commands from then on, so
     * it is refused unless ssl_allow_ccc is set.
     */
    public static void ccc(Session session, Request request) throws IOException {
        if (!session.controlEncrypted()) {
            session.reply(533, "CCC needs a secure connection.");
            return;
        }
        if (!session.config().get(CoreDirectives.SSL_ALLOW_CCC)) {
            session.reply(534, "CCC not allowed.");
            return;
        }
        session.reply(200, "CCC command successful; control connection is now plain text.");
        session.endTls();
    }
}
