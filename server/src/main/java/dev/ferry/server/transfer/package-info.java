/**
 * Moving bytes on a data connection: {@code Transfer} (a transfer on its own thread, or a small
 * one on the control thread),
 * the immutable {@code TransferJob}, the copy loop, ASCII conversion, rate limiting, the stall
 * watchdog and the transfer slots. May use {@code protocol} (its replies), {@code net}, {@code tls},
 * {@code log} and the layers below them; not {@code session} or above.
 */
package dev.ferry.server.transfer;
