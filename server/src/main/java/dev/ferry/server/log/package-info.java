/**
 * The logs a user reads: vsftpd's transfer and protocol logs ({@code ActivityLog}, xferlog
 * format), the JSON log and the escaping that keeps client text from forging lines. May use
 * {@code config} and {@code address}.
 */
package dev.ferry.server.log;
