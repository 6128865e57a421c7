/**
 * FTPS: the server's TLS identity and policy ({@code ServerTls}), the TLS state of each FTP session
 * ({@code SessionTls}) in a TLS context shared by the connections from one client address
 * ({@code ClientTls}), and PEM and keystore reading. May use {@code config}, {@code address},
 * {@code access} and {@code auth}.
 */
package dev.ferry.server.tls;
