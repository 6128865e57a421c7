/**
 * Sockets: the {@code Listener} (acceptor), {@code Admission} (max_clients, max_per_ip),
 * passive ports, the data endpoint and {@code DataConnector}, control deadlines and the PROXY
 * protocol. May use {@code tls} and the layers below it ({@code config}, {@code address},
 * {@code access}, {@code auth}); not {@code session} or above.
 */
package dev.ferry.server.net;
