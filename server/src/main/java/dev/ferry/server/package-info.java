/**
 * The top of the server's package stack: {@code FtpServer} starts, reloads and stops a server,
 * {@code Lifecycle} and {@code Main} run it from the command line. Wires the layers below together
 * (it hands the command layer's dispatcher to each connection) and may use every package; nothing
 * below uses it.
 */
package dev.ferry.server;
