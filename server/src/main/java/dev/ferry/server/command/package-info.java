/**
 * The command handlers, by concern (Auth, Security, Navigation, File, Data, Transfer, Listing,
 * Hash, Info), their registry ({@code Commands}: verb to handler) and the {@code Dispatcher}, which
 * runs a request through its verb's gates and then its handler. May use {@code session} and
 * everything below it; only {@code dev.ferry.server} uses it.
 */
package dev.ferry.server.command;
