/**
 * One control connection: {@code Connection} (greeting to close, on its own virtual thread),
 * {@code Session} (the session's state), {@code UserView} (the user's view: scoped storage, working
 * directory, policy), {@code Transfers} (launches a transfer on the data endpoint), the sealed
 * {@code LoginState}, {@code ControlLink} (the control streams, swapped by AUTH TLS and CCC) and
 * {@code ServerContext} (the configuration a session keeps). {@code Handler} is what runs a
 * request; the command layer supplies it. May use every package below it; not {@code command}
 * or {@code dev.ferry.server}.
 */
package dev.ferry.server.session;
