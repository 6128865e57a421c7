package dev.ferry.server.command;

import dev.ferry.server.protocol.Verb;
import dev.ferry.server.session.Handler;

/**
 * The command registry: which handler runs each verb of the command table ({@link Verb}). An
 * exhaustive switch, so a verb added to the table without a handler does not compile.
 */
final class Commands {

    private Commands() {
    }

    static Handler handler(Verb verb) {
        return switch (verb) {
            case USER -> AuthCommands::user;
            case PASS -> AuthCommands::pass;
            case ACCT -> AuthCommands::acct;
            case CWD -> NavigationCommands::cwd;
            case CDUP -> NavigationCommands::cdup;
            case REIN -> AuthCommands::rein;
            case QUIT -> AuthCommands::quit;
            case PORT -> DataCommands::port;
            case PASV -> DataCommands::pasv;
            case EPRT -> DataCommands::eprt;
            case EPSV -> DataCommands::epsv;
            case TYPE -> DataCommands::type;
            case STRU -> DataCommands::stru;
            case MODE -> DataCommands::mode;
            case RETR -> TransferCommands::retr;
            case STOR -> TransferCommands::stor;
            case STOU -> TransferCommands::stou;
            case APPE -> TransferCommands::appe;
            case ALLO -> DataCommands::allo;
            case REST -> DataCommands::rest;
            case RNFR -> FileCommands::rnfr;
            case RNTO -> FileCommands::rnto;
            case ABOR -> TransferCommands::abor;
            case DELE -> FileCommands::dele;
            case RMD -> FileCommands::rmd;
            case MKD -> FileCommands::mkd;
            case PWD -> NavigationCommands::pwd;
            case LIST -> ListingCommands::list;
            case NLST -> ListingCommands::nlst;
            case SITE -> InfoCommands::site;
            case SYST -> InfoCommands::syst;
            case STAT -> InfoCommands::stat;
            case HELP -> InfoCommands::help;
            case NOOP -> InfoCommands::noop;
            case FEAT -> InfoCommands::feat;
            case OPTS -> InfoCommands::opts;
            case SIZE -> FileCommands::size;
            case MDTM -> FileCommands::mdtm;
            case MFMT -> FileCommands::mfmt;
            case MLST -> ListingCommands::mlst;
            case MLSD -> ListingCommands::mlsd;
            case HASH -> HashCommands::hash;
            case XCRC -> HashCommands::legacy;
            case XMD5 -> HashCommands::legacy;
            case XSHA1 -> HashCommands::legacy;
            case XSHA256 -> HashCommands::legacy;
            case XSHA512 -> HashCommands::legacy;
            case AUTH -> SecurityCommands::auth;
            case PBSZ -> SecurityCommands::pbsz;
            case PROT -> SecurityCommands::prot;
            case CCC -> SecurityCommands::ccc;
        };
    }
}
