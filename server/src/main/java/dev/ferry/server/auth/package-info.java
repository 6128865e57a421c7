/**
 * Who may log in: the {@code UserStore} (users file, password hashes) and the {@code User}
 * record. May use {@code config} and {@code address}; nothing above.
 */
package dev.ferry.server.auth;
