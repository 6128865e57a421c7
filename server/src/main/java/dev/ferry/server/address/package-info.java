/**
 * Small address value types at the bottom of the stack: {@code Cidr} (a network in CIDR
 * notation), {@code PassiveAddress} (pasv_address and pasv_address_map) and {@code IpLiteral}
 * (address text parsed without ever asking DNS). Uses only the JDK.
 */
package dev.ferry.server.address;
