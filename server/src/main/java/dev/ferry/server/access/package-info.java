/**
 * Access rules that do not depend on the storage: the per-user, per-path {@code Policy}, its
 * {@code Right}s, the access files and deny lists, and the linear-time name patterns they use.
 * May use {@code config} and {@code address}; nothing above.
 */
package dev.ferry.server.access;
