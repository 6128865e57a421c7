package dev.ferry.server.protocol;

import dev.ferry.server.command.AuthCommands;
import dev.ferry.server.command.DataCommands;
import dev.ferry.server.command.FileCommands;
import dev.ferry.server.command.HashCommands;
import dev.ferry.server.command.InfoCommands;
import dev.ferry.server.command.ListingCommands;
import dev.ferry.server.command.NavigationCommands;
import dev.ferry.server.command.SecurityCommands;
import dev.ferry.server.command.TransferCommands;
import dev.ferry.server.session.Handler;
import dev.ferry.storage.Capability;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command table: every verb Ferry answers, what it needs before it may run, and its handler.
 * The dispatcher reads the gates from here; FEAT and HELP are generated from it.
 */
public enum Verb {
    // RFC 959 section 4.1.1: access control
    USER(Access.ANY, Flags.NONE, null, AuthCommands::user, "USER <sp> username"),
    PASS(Access.ANY, Flags.NONE, null, AuthCommands::pass, "PASS <sp> password"),
    ACCT(Access.ANY, Flags.NONE, null, AuthCommands::acct, "ACCT <sp> account"),
    CWD(Access.LOGGED_IN, Flags.NONE, null, NavigationCommands::cwd, "CWD <sp> pathname", "XCWD"),
    CDUP(Access.LOGGED_IN, Flags.NONE, null, NavigationCommands::cdup, "CDUP", "XCUP"),
    REIN(Access.ANY, Flags.NONE, null, AuthCommands::rein, "REIN"),
    QUIT(Access.ANY, Flags.NONE, null, AuthCommands::quit, "QUIT"),
    // RFC 959 section 4.1.2: transfer parameters; RFC 2428: EPRT, EPSV
    PORT(Access.LOGGED_IN, Flags.NONE, null, DataCommands::port, "PORT <sp> h1,h2,h3,h4,p1,p2"),
    PASV(Access.LOGGED_IN, Flags.NONE, null, DataCommands::pasv, "PASV"),
    EPRT(Access.LOGGED_IN, Flags.NONE, null, DataCommands::eprt, "EPRT <sp> |proto|address|port|"),
    EPSV(Access.LOGGED_IN, Flags.NONE, null, DataCommands::epsv, "EPSV [<sp> proto | ALL]"),
    TYPE(Access.LOGGED_IN, Flags.NONE, null, DataCommands::type, "TYPE <sp> A [N] | I | L 8"),
    STRU(Access.LOGGED_IN, Flags.NONE, null, DataCommands::stru, "STRU <sp> F"),
    MODE(Access.LOGGED_IN, Flags.NONE, null, DataCommands::mode, "MODE <sp> S"),
    // RFC 959 section 4.1.3: service commands
    RETR(Access.LOGGED_IN, Flags.TRANSFER, null, TransferCommands::retr, "RETR <sp> pathname"),
    STOR(Access.LOGGED_IN, Flags.WRITING_TRANSFER, null, TransferCommands::stor, "STOR <sp> pathname"),
    STOU(Access.LOGGED_IN, Flags.WRITING_TRANSFER, null, TransferCommands::stou, "STOU [<sp> pathname]"),
    APPE(Access.LOGGED_IN, Flags.WRITING_TRANSFER, Capability.APPEND, TransferCommands::appe, "APPE <sp> pathname"),
    ALLO(Access.LOGGED_IN, Flags.NONE, null, DataCommands::allo, "ALLO <sp> size"),
    REST(Access.LOGGED_IN, Flags.NONE, null, DataCommands::rest, "REST <sp> offset"),
    RNFR(Access.LOGGED_IN, Flags.WRITES, Capability.RENAME, FileCommands::rnfr, "RNFR <sp> pathname"),
    RNTO(Access.LOGGED_IN, Flags.WRITES, Capability.RENAME, FileCommands::rnto, "RNTO <sp> pathname"),
    ABOR(Access.LOGGED_IN, Flags.DURING_TRANSFER, null, TransferCommands::abor, "ABOR"),
    DELE(Access.LOGGED_IN, Flags.WRITES, null, FileCommands::dele, "DELE <sp> pathname"),
    RMD(Access.LOGGED_IN, Flags.WRITES, null, FileCommands::rmd, "RMD <sp> pathname", "XRMD"),
    MKD(Access.LOGGED_IN, Flags.WRITES, null, FileCommands::mkd, "MKD <sp> pathname", "XMKD"),
    PWD(Access.LOGGED_IN, Flags.NONE, null, NavigationCommands::pwd, "PWD", "XPWD"),
    LIST(Access.LOGGED_IN, Flags.TRANSFER, null, ListingCommands::list, "LIST [<sp> pathname]"),
    NLST(Access.LOGGED_IN, Flags.TRANSFER, null, ListingCommands::nlst, "NLST [<sp> pathname]"),
    SITE(Access.LOGGED_IN, Flags.NONE, null, InfoCommands::site, "SITE <sp> HELP | CHMOD <sp> mode <sp> pathname"),
    SYST(Access.ANY, Flags.NONE, null, InfoCommands::syst, "SYST"),
    STAT(Access.LOGGED_IN, Flags.DURING_TRANSFER, null, InfoCommands::stat, "STAT [<sp> pathname]"),
    HELP(Access.ANY, Flags.NONE, null, InfoCommands::help, "HELP [<sp> command]"),
    NOOP(Access.ANY, Flags.NONE, null, InfoCommands::noop, "NOOP"),
    // RFC 2389: FEAT, OPTS
    FEAT(Access.ANY, Flags.NONE, null, InfoCommands::feat, "FEAT"),
    OPTS(Access.ANY, Flags.NONE, null, InfoCommands::opts, "OPTS <sp> UTF8 ON | MLST facts"),
    // RFC 3659: SIZE, MDTM, MLST, MLSD; draft-somers-ftp-mfxx: MFMT
    SIZE(Access.LOGGED_IN, Flags.NONE, null, FileCommands::size, "SIZE <sp> pathname"),
    MDTM(Access.LOGGED_IN, Flags.NONE, null, FileCommands::mdtm, "MDTM <sp> pathname"),
    MFMT(Access.LOGGED_IN, Flags.WRITES, Capability.SET_MODIFIED, FileCommands::mfmt, "MFMT <sp> YYYYMMDDHHMMSS <sp> pathname"),
    MLST(Access.LOGGED_IN, Flags.NONE, null, ListingCommands::mlst, "MLST [<sp> pathname]"),
    MLSD(Access.LOGGED_IN, Flags.TRANSFER, null, ListingCommands::mlsd, "MLSD [<sp> pathname]"),
    // draft-bryan-ftpext-hash-02: HASH; and the X* checksum commands clients such as FileZilla use
    HASH(Access.LOGGED_IN, Flags.NONE, null, HashCommands::hash, "HASH <sp> pathname"),
    XCRC(Access.LOGGED_IN, Flags.NONE, null, HashCommands::legacy, "XCRC <sp> pathname"),
    XMD5(Access.LOGGED_IN, Flags.NONE, null, HashCommands::legacy, "XMD5 <sp> pathname"),
    XSHA1(Access.LOGGED_IN, Flags.NONE, null, HashCommands::legacy, "XSHA1 <sp> pathname"),
    XSHA256(Access.LOGGED_IN, Flags.NONE, null, HashCommands::legacy, "XSHA256 <sp> pathname"),
    XSHA512(Access.LOGGED_IN, Flags.NONE, null, HashCommands::legacy, "XSHA512 <sp> pathname"),
    // RFC 4217 (FTPS, the RFC 2228 security commands over TLS): only with ssl_enable
    AUTH(Access.ANY, Flags.SECURITY, null, SecurityCommands::auth, "AUTH <sp> TLS | SSL"),
    PBSZ(Access.ANY, Flags.SECURITY, null, SecurityCommands::pbsz, "PBSZ <sp> 0"),
    PROT(Access.ANY, Flags.SECURITY, null, SecurityCommands::prot, "PROT <sp> C | P"),
    CCC(Access.LOGGED_IN, Flags.SECURITY, null, SecurityCommands::ccc, "CCC");

    /** Who may run a verb. */
    public enum Access { ANY, LOGGED_IN }

    /** What a verb does beyond replying. */
    public enum Flags {
        NONE(false, false, false, false),
        /** Changes the storage: refused with 550 without write permission. */
        WRITES(true, false, false, false),
        /** Opens a data connection and runs on a transfer thread. */
        TRANSFER(false, true, false, false),
        WRITING_TRANSFER(true, true, false, false),
        /** Runs at once even while a transfer is in progress (RFC 959 section 4.1.3: ABOR, STAT). */
        DURING_TRANSFER(false, false, true, false),
        /** FTPS: answered (and listed by FEAT and HELP) only when TLS is configured. */
        SECURITY(false, false, false, true);

        final boolean writes;
        final boolean transfer;
        final boolean duringTransfer;
        final boolean tls;

        Flags(boolean writes, boolean transfer, boolean duringTransfer, boolean tls) {
            this.writes = writes;
            this.transfer = transfer;
            this.duringTransfer = duringTransfer;
            this.tls = tls;
        }
    }

    private static final Map<String, Verb> BY_NAME = new HashMap<>();

    static {
        for (Verb verb : values()) {
            BY_NAME.put(verb.name(), verb);
            for (String alias : verb.aliases) {
                BY_NAME.put(alias, verb);
            }
        }
    }

    private final Access access;
    private final Flags flags;
    private final Capability needs;
    private final Handler handler;
    private final String syntax;
    private final List<String> aliases;

    Verb(Access access, Flags flags, Capability needs, Handler handler, String syntax, String... aliases) {
        this.access = access;
        this.flags = flags;
        this.needs = needs;
        this.handler = handler;
        this.syntax = syntax;
        this.aliases = Arrays.asList(aliases);
    }

    /** The verb for a command name or alias (already upper case), or null. */
    public static Verb find(String name) {
        return BY_NAME.get(name);
    }

    public Access access() {
        return access;
    }

    public boolean writes() {
        return flags.writes;
    }

    public boolean transfers() {
        return flags.transfer;
    }

    public boolean runsDuringTransfer() {
        return flags.duringTransfer;
    }

    /** An FTPS command: without ssl_enable it is not offered at all. */
    public boolean needsTls() {
        return flags.tls;
    }

    /** The storage capability without which the verb answers 502, or null. */
    public Capability needs() {
        return needs;
    }

    public Handler handler() {
        return handler;
    }

    public String syntax() {
        return syntax;
    }

    public List<String> aliases() {
        return aliases;
    }
}
