/**
 * The configuration: the {@code Directive} table ({@code CoreDirectives}), the vsftpd.conf
 * parser and the typed, validated {@code ServerConfig}. Bottom layer with {@code address}: it may
 * use {@code address} and the storage SPI, nothing else of the server.
 */
package dev.ferry.server.config;
