package dev.ferry.server.log;

/**
 * What the logs say about one file transfer, fixed when it starts.
 *
 * @param upload    client to server (STOR, APPE, STOU), else RETR
 * @param path      the file as the client sees it, absolute
 * @param ascii     TYPE A
 * @param access    xferlog's access mode: 'a' anonymous, 'g' guest (guest_enable), 'r' real user
 * @param identity  the anonymous password (e-mail) or the user name (a guest's virtual name), as xferlog records it
 * @param user      the name vsftpd's own format shows in brackets
 * @param client    the client's address
 * @param session   the session id
 * @param startMillis wall-clock start, epoch milliseconds
 */
public record TransferRecord(boolean upload, String path, boolean ascii, char access, String identity,
                             String user, String client, long session, long startMillis) {
}
