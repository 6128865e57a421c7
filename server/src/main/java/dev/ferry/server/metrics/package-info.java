/**
 * Prometheus metrics: the {@code Metrics} registry, the storage decorator that times every
 * call ({@code MeteredStorage}) and the HTTP endpoint. May use {@code transfer} (its rate-limit
 * counters) and the layers below; not {@code session} or above.
 */
package dev.ferry.server.metrics;
