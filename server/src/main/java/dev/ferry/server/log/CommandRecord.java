package dev.ferry.server.log;

import java.util.OptionalLong;

/**
 * One command with its final reply, for json_log_enable.
 *
 * @param session   the session id
 * @param user      the name the session is logged in as (or gave with USER); empty before that
 * @param client    the client's address
 * @param command   the command line as received; the JSON log hides a PASS argument
 * @param replyCode the code of the final reply (a transfer's 226, 426, ..., not its 150)
 * @param replyText the text of that reply, lines joined with '\n'
 * @param bytes     what a data transfer moved; empty for commands without one
 * @param nanos     from the command's arrival to its final reply
 */
public record CommandRecord(long session, String user, String client, String command, int replyCode,
                            String replyText, OptionalLong bytes, long nanos) {
}
