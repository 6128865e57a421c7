/**
 * Small address value types at the bottom of the stack: {@code Cidr} (a network in CIDR
 * notation) and {@code PassiveAddress} (pasv_address and pasv_address_map). Uses only the JDK.
 */
package dev.ferry.server.address;
