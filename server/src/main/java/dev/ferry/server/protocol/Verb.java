package dev.ferry.server.protocol;

import dev.ferry.storage.Capability;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command table: every verb Ferry answers and what it needs before it may run, as data. The
 * dispatcher reads the gates from here; FEAT and HELP are generated from it. Which handler runs a
 * verb is the command layer's business ({@code command.Commands}), so the protocol layer does not
 * depend on the handlers.
 */
public enum Verb {
    // RFC 959 section 4.1.1: access control
    USER(Access.ANY, Flags.NONE, null, "USER <sp> username"),
    PASS(Access.ANY, Flags.NONE, null, "PASS <sp> password"),
    ACCT(Access.ANY, Flags.NONE, null, "ACCT <sp> account"),
    CWD(Access.LOGGED_IN, Flags.NONE, null, "CWD <sp> pathname", "XCWD"),
    CDUP(Access.LOGGED_IN, Flags.NONE, null, "CDUP", "XCUP"),
    REIN(Access.ANY, Flags.NONE, null, "REIN"),
    QUIT(Access.ANY, Flags.NONE, null, "QUIT"),
    // RFC 959 section 4.1.2: transfer parameters; RFC 2428: EPRT, EPSV
    PORT(Access.LOGGED_IN, Flags.NONE, null, "PORT <sp> h1,h2,h3,h4,p1,p2"),
    PASV(Access.LOGGED_IN, Flags.NONE, null, "PASV"),
    EPRT(Access.LOGGED_IN, Flags.NONE, null, "EPRT <sp> |proto|address|port|"),
    EPSV(Access.LOGGED_IN, Flags.NONE, null, "EPSV [<sp> proto | ALL]"),
    TYPE(Access.LOGGED_IN, Flags.NONE, null, "TYPE <sp> A [N] | I | L 8"),
    STRU(Access.LOGGED_IN, Flags.NONE, null, "STRU <sp> F"),
    MODE(Access.LOGGED_IN, Flags.NONE, null, "MODE <sp> S"),
    // RFC 959 section 4.1.3: service commands
    RETR(Access.LOGGED_IN, Flags.TRANSFER, null, "RETR <sp> pathname"),
    STOR(Access.LOGGED_IN, Flags.WRITING_TRANSFER, null, "STOR <sp> pathname"),
    STOU(Access.LOGGED_IN, Flags.WRITING_TRANSFER, null, "STOU [<sp> pathname]"),
    APPE(Access.LOGGED_IN, Flags.WRITING_TRANSFER, Capability.APPEND, "APPE <sp> pathname"),
    ALLO(Access.LOGGED_IN, Flags.NONE, null, "ALLO <sp> size"),
    REST(Access.LOGGED_IN, Flags.NONE, null, "REST <sp> offset"),
    RNFR(Access.LOGGED_IN, Flags.WRITES, Capability.RENAME, "RNFR <sp> pathname"),
    RNTO(Access.LOGGED_IN, Flags.WRITES, Capability.RENAME, "RNTO <sp> pathname"),
    ABOR(Access.LOGGED_IN, Flags.DURING_TRANSFER, null, "ABOR"),
    DELE(Access.LOGGED_IN, Flags.WRITES, null, "DELE <sp> pathname"),
    RMD(Access.LOGGED_IN, Flags.WRITES, null, "RMD <sp> pathname", "XRMD"),
    MKD(Access.LOGGED_IN, Flags.WRITES, null, "MKD <sp> pathname", "XMKD"),
    PWD(Access.LOGGED_IN, Flags.NONE, null, "PWD", "XPWD"),
    LIST(Access.LOGGED_IN, Flags.TRANSFER, null, "LIST [<sp> pathname]"),
    NLST(Access.LOGGED_IN, Flags.TRANSFER, null, "NLST [<sp> pathname]"),
    SITE(Access.LOGGED_IN, Flags.NONE, null, "SITE <sp> HELP | CHMOD <sp> mode <sp> pathname"),
    SYST(Access.ANY, Flags.NONE, null, "SYST"),
    STAT(Access.LOGGED_IN, Flags.DURING_TRANSFER, null, "STAT [<sp> pathname]"),
    HELP(Access.ANY, Flags.NONE, null, "HELP [<sp> command]"),
    NOOP(Access.ANY, Flags.NONE, null, "NOOP"),
    // RFC 2389: FEAT, OPTS
    FEAT(Access.ANY, Flags.NONE, null, "FEAT"),
    OPTS(Access.ANY, Flags.NONE, null, "OPTS <sp> UTF8 ON | MLST facts"),
    // RFC 3659: SIZE, MDTM, MLST, MLSD; draft-somers-ftp-mfxx: MFMT
    SIZE(Access.LOGGED_IN, Flags.NONE, null, "SIZE <sp> pathname"),
    MDTM(Access.LOGGED_IN, Flags.NONE, null, "MDTM <sp> pathname"),
    MFMT(Access.LOGGED_IN, Flags.WRITES, Capability.SET_MODIFIED, "MFMT <sp> YYYYMMDDHHMMSS <sp> pathname"),
    MLST(Access.LOGGED_IN, Flags.NONE, null, "MLST [<sp> pathname]"),
    MLSD(Access.LOGGED_IN, Flags.TRANSFER, null, "MLSD [<sp> pathname]"),
    // draft-bryan-ftpext-hash-02: HASH; and the X* checksum commands clients such as FileZilla use
    HASH(Access.LOGGED_IN, Flags.NONE, null, "HASH <sp> pathname"),
    XCRC(Access.LOGGED_IN, Flags.NONE, null, "XCRC <sp> pathname"),
    XMD5(Access.LOGGED_IN, Flags.NONE, null, "XMD5 <sp> pathname"),
    XSHA1(Access.LOGGED_IN, Flags.NONE, null, "XSHA1 <sp> pathname"),
    XSHA256(Access.LOGGED_IN, Flags.NONE, null, "XSHA256 <sp> pathname"),
    XSHA512(Access.LOGGED_IN, Flags.NONE, null, "XSHA512 <sp> pathname"),
    // RFC 4217 (FTPS, the RFC 2228 security commands over TLS): only with ssl_enable
    AUTH(Access.ANY, Flags.SECURITY, null, "AUTH <sp> TLS | SSL"),
    PBSZ(Access.ANY, Flags.SECURITY, null, "PBSZ <sp> 0"),
    PROT(Access.ANY, Flags.SECURITY, null, "PROT <sp> C | P"),
    CCC(Access.LOGGED_IN, Flags.SECURITY, null, "CCC");

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
    private final String syntax;
    private final List<String> aliases;

    Verb(Access access, Flags flags, Capability needs, String syntax, String... aliases) {
        this.access = access;
        this.flags = flags;
        this.needs = needs;
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

    public String syntax() {
        return syntax;
    }

    public List<String> aliases() {
        return aliases;
    }
}
