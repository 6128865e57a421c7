package dev.ferry.relay;

/** Which way bytes move through the relay: from the client that connected, or back to it. */
public enum Direction {
    /** From the connecting client to the server behind the relay (request bodies, uploads). */
    TO_SERVER,
    /** From the server back to the client (response bodies, downloads). */
    TO_CLIENT
}
