package dev.ferry.server.address;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The address a PASV reply announces. Behind NAT the address the control connection arrived on is
 * private and useless to an outside client, so (in order): the first pasv_address_map network that
 * holds the client, then pasv_address, then the control connection's own address. Internal clients
 * can thus get the private address and everybody else the public one.
 */
public final class PassiveAddress {

    private static final Logger LOG = LoggerFactory.getLogger(PassiveAddress.class);

    /** One CIDR=address pair of pasv_address_map. */
    public record Rule(Cidr network, Inet4Address address) {
    }

    private final List<Rule> rules;
    private final String configured;
    private final boolean resolve;
    private final AtomicReference<Inet4Address> last = new AtomicReference<>();

    private PassiveAddress(List<Rule> rules, String configured, boolean resolve, Inet4Address initial) {
        this.rules = rules;
        this.configured = configured;
        this.resolve = resolve;
        this.last.set(initial);
    }

    /**
     * @param map        pasv_address_map
     * @param configured pasv_address, maybe empty
     * @param resolve    pasv_addr_resolve: {@code configured} is a host name, looked up now (an
     *                   unknown name is an error at startup, as in vsftpd) and again whenever the
     *                   JVM's DNS cache lets it expire
     */
    public static PassiveAddress of(String map, String configured, boolean resolve) throws UnknownHostException {
        Inet4Address initial = configured.isEmpty() ? null : ipv4(configured);
        return new PassiveAddress(parseMap(map), configured, resolve, initial);
    }

    /** Parses pasv_address_map; the message of the exception says which pair is wrong. */
    public static List<Rule> parseMap(String map) {
        List<Rule> rules = new ArrayList<>();
        for (String pair : map.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("'" + pair.strip() + "' is not CIDR=address");
            }
            Cidr network = Cidr.parse(pair.substring(0, equals));
            Cidr address = Cidr.parse(pair.substring(equals + 1));
            if (address.network().length != 4 || address.prefix() != 32) {
                throw new IllegalArgumentException("'" + pair.strip() + "': PASV can only announce a numeric IPv4 address");
            }
            try {
                rules.add(new Rule(network, (Inet4Address) InetAddress.getByAddress(address.network())));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return List.copyOf(rules);
    }

    /** The address to announce to {@code client}, which reached us on {@code local}. */
    public InetAddress advertised(InetAddress client, InetAddress local) {
        InetAddress plain = unmapped(client);
        for (Rule rule : rules) {
            if (rule.network().contains(plain)) {
                return rule.address();
            }
        }
        if (configured.isEmpty()) {
            return local;
        }
        if (resolve) {
            try {
                last.set(ipv4(configured));
            } catch (UnknownHostException e) {
                LOG.warn("pasv_address {} did not resolve ({}); announcing {}", configured, e.getMessage(),
                        last.get().getHostAddress());
            }
        }
        return last.get();
    }

    private static Inet4Address ipv4(String name) throws UnknownHostException {
        for (InetAddress address : InetAddress.getAllByName(name)) {
            if (address instanceof Inet4Address v4) {
                return v4;
            }
        }
        throw new UnknownHostException(name + " has no IPv4 address");
    }

    /** {@code ::ffff:10.1.2.3} on a dual-stack socket is the IPv4 client 10.1.2.3. */
    public static InetAddress unmapped(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return address;
                }
            }
            if (bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
                try {
                    return InetAddress.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return address;
    }
}
