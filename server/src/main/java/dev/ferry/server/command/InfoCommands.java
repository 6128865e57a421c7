package dev.ferry.server.command;

import dev.ferry.server.access.Right;
import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.protocol.Reply;
import dev.ferry.server.protocol.Request;
import dev.ferry.server.protocol.StorageReplies;
import dev.ferry.server.protocol.Verb;
import dev.ferry.server.session.LoginState;
import dev.ferry.server.session.Session;
import dev.ferry.storage.Capability;
import dev.ferry.storage.StorageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** SYST, STAT, HELP, NOOP, FEAT, OPTS, SITE. */
public final class InfoCommands {

    private InfoCommands() {
    }

    public static void syst(Session session, Request request) throws IOException {
        // What nearly every client expects; it selects the Unix LIST parser
        session.reply(215, "UNIX Type: L8");
    }

    public static void noop(Session session, Request request) throws IOException {
        session.reply(200, "NOOP ok.");
    }

    /**
     * FEAT (RFC 2389 section 3), generated from the verb table: a verb whose storage capability is
     * missing is not advertised, nor is REST STREAM without random reads.
     */
    public static void feat(Session session, Request request) throws IOException {
        List<String> features = new ArrayList<>();
        for (Verb verb : Verb.values()) {
            if (available(session, verb)) {
                feature(session, verb).forEach(feature -> features.add(" " + feature));
            }
        }
        features.add(" TVFS"); // RFC 3659 section 6: paths are "/"-separated, rooted at "/"
        features.sort(null);
        session.reply(Reply.multi(211, "Features:", features, "End"));
    }

    private static List<String> feature(Session session, Verb verb) {
        return switch (verb) {
            case EPRT, EPSV, MDTM, MFMT, SIZE -> List.of(verb.name());
            case PASV -> session.config().get(CoreDirectives.PASV_ENABLE) ? List.of("PASV") : List.of();
            case MLST -> List.of(session.mlsx().featLine());
            case REST -> session.capabilities().contains(Capability.RANDOM_READ) ? List.of("REST STREAM") : List.of();
            case OPTS -> List.of("UTF8"); // RFC 2640 section 3.3
            // RFC 4217 section 6; vsftpd lists AUTH SSL too, for the clients that still send it
            case AUTH -> List.of("AUTH TLS", "AUTH SSL");
            case PBSZ, PROT -> List.of(verb.name());
            case HASH -> List.of(HashCommands.featLine(session));
            default -> List.of();
        };
    }

    /**
     * Whether FEAT and HELP mention {@code verb}: the storage can do it and, once logged in, the
     * session's cmds_allowed / cmds_denied let it through.
     */
    private static boolean available(Session session, Verb verb) {
        return (verb.needs() == null || session.capabilities().contains(verb.needs()))
                && (!verb.needsTls() || session.server().tls().isPresent())
                && (!session.login().loggedIn() || Dispatcher.permitted(session, verb.name(), verb));
    }

    /** HELP (RFC 959 section 4.1.3): the verbs this server answers, or one verb's syntax. */
    public static void help(Session session, Request request) throws IOException {
        if (request.hasArgument()) {
            Verb verb = Verb.find(request.argument().trim().toUpperCase(Locale.ROOT));
            if (verb == null || !available(session, verb)) {
                session.reply(501, "Unknown command " + request.argument().trim() + ".");
            } else {
                session.reply(214, "Syntax: " + verb.syntax());
            }
            return;
        }
        List<String> names = new ArrayList<>();
        for (Verb verb : Verb.values()) {
            if (available(session, verb)) {
                names.add(verb.name());
                names.addAll(verb.aliases());
            }
        }
        names.sort(null);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < names.size(); i += 8) {
            rows.add(" " + String.join(" ", names.subList(i, Math.min(names.size(), i + 8))));
        }
        session.reply(Reply.multi(214, "The following commands are recognized.", rows, "Help OK."));
    }

    /** STAT (RFC 959 section 4.1.3): server status, transfer progress, or a listing over control. */
    public static void stat(Session session, Request request) throws IOException {
        if (request.hasArgument() && session.transfers().transfer().isEmpty()) {
            ListingCommands.stat(session, request.argument());
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(" Connected to " + session.remote().getAddress().getHostAddress());
        lines.add(" Logged in as " + session.login().userName());
        lines.add(" TYPE: " + session.type().label());
        lines.add(" Session timeout in seconds is " + session.config().get(CoreDirectives.IDLE_SESSION_TIMEOUT).toSeconds());
        lines.add(session.controlEncrypted()
                ? " Control connection is encrypted (" + session.sessionTls().map(tls -> tls.protocol()).orElse("") + ")"
                : " Control connection is plain text");
        lines.add(session.dataProtected() ? " Data connections will be encrypted" : " Data connections will be plain text");
        session.transfers().transfer().ifPresentOrElse(
                transfer -> lines.add(String.format(Locale.ROOT, " Transfer in progress: %s, %d bytes so far, %.2f KB/s",
                        transfer.description(), transfer.progress().bytes(), transfer.progress().bytesPerSecond() / 1024)),
                () -> lines.add(" No transfer in progress"));
        lines.add(" Ferry - an FTP server on virtual threads");
        session.reply(Reply.multi(211, "FTP server status:", lines, "End of status"));
    }

    /** OPTS (RFC 2389 section 4): UTF8 (RFC 2640) and MLST fact selection (RFC 3659 section 7.9). */
    public static void opts(Session session, Request request) throws IOException {
        String argument = request.argument().trim();
        int space = argument.indexOf(' ');
        String option = (space < 0 ? argument : argument.substring(0, space)).toUpperCase(Locale.ROOT);
        String value = space < 0 ? "" : argument.substring(space + 1).trim();
        switch (option) {
            case "UTF8", "UTF-8" -> {
                if (value.equalsIgnoreCase("ON") || value.isEmpty()) {
                    session.reply(200, "Always in UTF8 mode.");
                } else {
                    session.reply(504, "UTF8 cannot be turned off: names are always UTF-8.");
                }
            }
            case "HASH" -> HashCommands.opts(session, value);
            case "MLST" -> {
                session.mlsx(session.mlsx().withOpts(value));
                session.reply(200, session.mlsx().optsReply());
            }
            default -> session.reply(501, "Option not understood.");
        }
    }

    /** SITE HELP and SITE CHMOD (vsftpd's chmod_enable; only where the storage has Unix modes). */
    public static void site(Session session, Request request) throws IOException {
        String[] words = request.argument().trim().split(" ", 3);
        String command = words[0].toUpperCase(Locale.ROOT);
        // vsftpd: SITE CHMOD needs chmod_enable, and anonymous users never get it
        boolean chmod = session.capabilities().contains(Capability.POSIX_ATTRIBUTES)
                && session.config().get(CoreDirectives.CHMOD_ENABLE) && !session.login().anonymousRights();
        switch (command) {
            case "HELP" -> session.reply(214, chmod ? "CHMOD HELP" : "HELP");
            case "CHMOD" -> {
                if (!session.capabilities().contains(Capability.POSIX_ATTRIBUTES)) {
                    session.reply(502, "SITE CHMOD is not supported by this server's storage.");
                } else if (!chmod || !session.user().writable()) {
                    session.reply(550, "Permission denied.");
                } else if (words.length < 3 || !words[1].matches("[0-7]{1,4}")) {
                    session.reply(501, "SITE CHMOD needs an octal mode and a file name.");
                } else if (Guard.permit(session, Right.OVERWRITE, session.user().virtualPath(words[2]))) {
                    try {
                        session.user().storage().setPermissions(session.user().virtualPath(words[2]), Integer.parseInt(words[1], 8));
                        session.reply(200, "SITE CHMOD command ok.");
                    } catch (StorageException e) {
                        session.reply(StorageReplies.reply(e, "SITE CHMOD command failed"));
                    }
                }
            }
            default -> session.reply(500, "Unknown SITE command.");
        }
    }
}
