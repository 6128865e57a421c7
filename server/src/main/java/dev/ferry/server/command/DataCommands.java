package dev.ferry.server.command;

import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.address.PassiveAddress;
import dev.ferry.server.net.PassivePorts;
import dev.ferry.server.protocol.Request;
import dev.ferry.server.net.DataEndpoint;
import dev.ferry.server.session.Session;
import dev.ferry.server.session.TransferType;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Data connection set-up and transfer parameters: PORT PASV EPRT EPSV TYPE STRU MODE ALLO REST. */
public final class DataCommands {

    private static final Logger LOG = LoggerFactory.getLogger(DataCommands.class);
    /** Ports below this belong to system services: vsftpd refuses them in PORT (bounce protection). */
    private static final int RESERVED_PORTS = 1024;
    private static final Pattern BLANKS = Pattern.compile("\\s+");

    private DataCommands() {
    }

    // ---- passive

    public static void pasv(Session session, Request request) throws IOException {
        if (!passiveAllowed(session)) {
            return;
        }
        if (session.local().getAddress() instanceof Inet6Address) {
            // RFC 2428 section 1: PASV can only describe an IPv4 address
            session.reply(425, "PASV is IPv4 only; use EPSV on an IPv6 connection.");
            return;
        }
        PassivePorts.Listening listener = openPassive(session);
        if (listener == null) {
            return;
        }
        byte[] address = advertisedAddress(session).getAddress();
        int port = listener.port();
        // built by hand: String.format parsed its pattern on every PASV, once per file transferred
        session.replyDataOffer(227, "Entering Passive Mode (" + (address[0] & 0xff) + "," + (address[1] & 0xff) + ","
                + (address[2] & 0xff) + "," + (address[3] & 0xff) + "," + (port >> 8) + "," + (port & 0xff) + ").");
    }

    public static void epsv(Session session, Request request) throws IOException {
        DataArguments.Epsv argument = DataArguments.epsv(request.argument());
        if (argument instanceof DataArguments.Epsv.All) {
            // RFC 2428 section 4: from now on only EPSV sets up data connections
            session.epsvAll(true);
            session.reply(200, "EPSV ALL ok.");
            return;
        }
        if (!session.config().get(CoreDirectives.PASV_ENABLE)) {
            session.reply(550, "Permission denied: passive mode is disabled.");
            return;
        }
        String protocol = ((DataArguments.Epsv.Listen) argument).protocol();
        if (!protocol.isEmpty() && !protocol.equals(familyNumber(session.local().getAddress()))) {
            session.reply(522, "Network protocol not supported, use (" + familyNumber(session.local().getAddress()) + ")");
            return;
        }
        PassivePorts.Listening listener = openPassive(session);
        if (listener != null) {
            session.replyDataOffer(229, "Entering Extended Passive Mode (|||" + listener.port() + "|)");
        }
    }

    private static boolean passiveAllowed(Session session) throws IOException {
        if (session.epsvAll()) {
            session.reply(503, "EPSV ALL is in effect; use EPSV.");
            return false;
        }
        if (!session.config().get(CoreDirectives.PASV_ENABLE)) {
            session.reply(550, "Permission denied: passive mode is disabled.");
            return false;
        }
        return true;
    }

    private static PassivePorts.Listening openPassive(Session session) throws IOException {
        session.closeDataEndpoint();
        try {
            PassivePorts.Listening listener = session.server().passivePorts().open(session.local().getAddress(),
                    session.remote().getAddress());
            session.dataEndpoint(new DataEndpoint.Passive(listener));
            return listener;
        } catch (PassivePorts.TooManyFromAddress e) {
            LOG.warn("passive listener refused: {}", e.getMessage());
            session.reply(425, "Cannot open a passive connection: too many from your address.");
            return null;
        } catch (IOException e) {
            // the range is full: this client waits and retries, everybody else goes on
            LOG.warn("no passive port: {}", e.getMessage());
            session.reply(425, "Cannot open a passive connection: no free port.");
            return null;
        }
    }

    /**
     * pasv_address_map, pasv_address (a NAT's public address), or the address the client
     * reached us on ({@link PassiveAddress}).
     */
    private static InetAddress advertisedAddress(Session session) {
        return session.server().passiveAddress().advertised(session.remote().getAddress(), session.local().getAddress());
    }

    /** RFC 2428 network protocol numbers: 1 for IPv4, 2 for IPv6. */
    private static String familyNumber(InetAddress address) {
        return address instanceof Inet4Address ? "1" : "2";
    }

    // ---- active

    public static void port(Session session, Request request) throws IOException {
        if (activeAllowed(session)) {
            setActive(session, DataArguments.port(request.argument()), "PORT");
        }
    }

    public static void eprt(Session session, Request request) throws IOException {
        if (activeAllowed(session)) {
            setActive(session, DataArguments.eprt(request.argument()), "EPRT");
        }
    }

    private static boolean activeAllowed(Session session) throws IOException {
        if (session.epsvAll()) {
            session.reply(503, "EPSV ALL is in effect; use EPSV.");
            return false;
        }
        if (!session.config().get(CoreDirectives.PORT_ENABLE)) {
            session.reply(550, "Permission denied: active mode is disabled.");
            return false;
        }
        return true;
    }

    /**
     * Bounce protection (RFC 2577 section 3, vsftpd): unless port_promiscuous, the data connection
     * may only go back to the client itself, and never to a privileged port.
     */
    private static void setActive(Session session, DataArguments.Parsed parsed, String verb) throws IOException {
        if (parsed instanceof DataArguments.Parsed.Refused(int code, String text)) {
            session.reply(code, text);
            return;
        }
        InetSocketAddress target = ((DataArguments.Parsed.Target) parsed).address();
        if (!session.config().get(CoreDirectives.PORT_PROMISCUOUS)) {
            InetAddress client = session.remote().getAddress();
            if (!target.getAddress().equals(client) || target.getPort() < RESERVED_PORTS) {
                LOG.warn("refused {} to {} from {}", verb, target, client);
                session.reply(500, "Illegal " + verb + " command.");
                return;
            }
        }
        session.dataEndpoint(new DataEndpoint.Active(target));
        session.replyDataOffer(200, verb + " command successful. Consider using PASV.");
    }

    // ---- parameters

    public static void type(Session session, Request request) throws IOException {
        String argument = request.argument().trim().toUpperCase(Locale.ROOT);
        if (argument.length() > 1) {
            // "A  N" is "A N"; the pattern is compiled once, as clients send TYPE before every transfer
            argument = BLANKS.matcher(argument).replaceAll(" ");
        }
        switch (argument) {
            case "A", "A N" -> {
                session.type(TransferType.ASCII);
                session.reply(200, "Switching to ASCII mode.");
            }
            case "I", "L 8", "L8" -> {
                session.type(TransferType.IMAGE);
                session.reply(200, "Switching to Binary mode.");
            }
            case "" -> session.reply(501, "TYPE needs a type: A or I.");
            default -> session.reply(504, "Unsupported TYPE: only A, A N, I and L 8.");
        }
    }

    public static void stru(Session session, Request request) throws IOException {
        if (request.argument().trim().equalsIgnoreCase("F")) {
            session.reply(200, "Structure set to F.");
        } else {
            session.reply(504, "Bad STRU command: only F (file) is supported.");
        }
    }

    public static void mode(Session session, Request request) throws IOException {
        if (request.argument().trim().equalsIgnoreCase("S")) {
            session.reply(200, "Mode set to S.");
        } else {
            session.reply(504, "Bad MODE command: only S (stream) is supported.");
        }
    }

    public static void allo(Session session, Request request) throws IOException {
        // RFC 959: servers that need no allocation treat ALLO as NOOP
        session.reply(202, "ALLO command ignored.");
    }

    public static void rest(Session session, Request request) throws IOException {
        long offset;
        try {
            offset = Long.parseLong(request.argument().trim());
        } catch (NumberFormatException e) {
            offset = -1;
        }
        if (offset < 0) {
            session.reply(501, "REST needs a non-negative byte offset.");
            return;
        }
        session.restartOffset(offset);
        session.reply(350, "Restart position accepted (" + offset + ").");
    }
}
