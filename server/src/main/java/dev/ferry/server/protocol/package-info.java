/**
 * The FTP wire protocol as data: the control line reader ({@code ControlReader}), {@code Request},
 * {@code Reply} and the lock-guarded {@code ReplyWriter}, storage failures as replies
 * ({@code StorageReplies}), and the command table {@code Verb} (names, gates, syntax; no handlers).
 * May use {@code config} and {@code address} only, so that transfers and sessions can send
 * replies without depending on the commands.
 */
package dev.ferry.server.protocol;
