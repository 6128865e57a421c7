package dev.ferry.server.fuzz;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The test JVM's name resolver (installed through META-INF/services): the JDK's own, except that
 * inside {@link #during} any host name lookup fails the test. Parsers of client and config text
 * must turn address literals into addresses without asking DNS (an attacker's name would be
 * looked up, on a virtual thread, for as long as the resolver takes); InetAddress.getByName falls
 * back to a lookup for text that only looks like a literal, e.g. "999.1.1.1" or ".:".
 */
public final class NoLookups extends InetAddressResolverProvider {

    private static final ThreadLocal<Boolean> FORBIDDEN = ThreadLocal.withInitial(() -> false);

    /** Runs {@code parse} with lookups forbidden on this thread. */
    public static <T> T during(Callable<T> parse) throws Exception {
        FORBIDDEN.set(true);
        try {
            return parse.call();
        } finally {
            FORBIDDEN.set(false);
        }
    }

    /** A lookup was asked for while parsing. */
    public static final class LookupWhileParsing extends AssertionError {
        LookupWhileParsing(String what) {
            super("a parser asked the name resolver for " + what);
        }
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (FORBIDDEN.get()) {
                    throw new LookupWhileParsing("'" + host + "'");
                }
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                if (FORBIDDEN.get()) {
                    throw new LookupWhileParsing("a reverse lookup");
                }
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "no lookups while parsing (tests)";
    }
}
