/**
 * FTPS: the server's TLS identity and policy ({@code ServerTls}), a TLS context per FTP session
 * ({@code SessionTls}) and PEM and keystore reading. May use {@code config}, {@code address},
 * {@code access} and {@code auth}.
 */
package dev.ferry.server.tls;
