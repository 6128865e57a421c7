/**
 * Directory listing formats: {@code LsFormat} (LIST, as ls -l) and {@code MlsxFormat} (MLST and
 * MLSD facts, RFC 3659). Pure formatting over the storage SPI; may use {@code config} and
 * {@code address} only.
 */
package dev.ferry.server.listing;
