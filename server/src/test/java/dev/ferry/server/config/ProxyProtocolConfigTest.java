package dev.ferry.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.server.address.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

/** proxy_protocol, pasv_proxy_protocol and proxy_protocol_trusted as a configuration file sets them. */
class ProxyProtocolConfigTest {

    private static ServerConfig load(String text) throws ConfigException {
        return ServerConfig.load(List.of(Source.text("/etc/ferry.conf", text)));
    }

    private static String error(String text) {
        return assertThrows(ConfigException.class, () -> load(text)).getMessage();
    }

    @Test
    void trustedNetworksAreParsedOnce() throws ConfigException {
        ServerConfig config = load("proxy_protocol=YES\nproxy_protocol_trusted=10.0.0.5, 192.168.0.0/16,fd00::/8\n");
        assertEquals(List.of(Cidr.parse("10.0.0.5/32"), Cidr.parse("192.168.0.0/16"), Cidr.parse("fd00::/8")),
                config.get(CoreDirectives.PROXY_PROTOCOL_TRUSTED));
    }

    @Test
    void proxyProtocolWithoutTrustedBalancersIsAStartupErrorNamingTheDirective() {
        assertEquals("/etc/ferry.conf:2: proxy_protocol=YES needs proxy_protocol_trusted: the addresses or networks "
                        + "of the load balancers allowed to send PROXY protocol headers, such as 10.0.0.5 or 10.1.0.0/24",
                error("listen_port=21\nproxy_protocol=YES\n"));
        assertEquals("/etc/ferry.conf:1: pasv_proxy_protocol=YES needs proxy_protocol_trusted: the addresses or "
                        + "networks of the load balancers allowed to send PROXY protocol headers, such as 10.0.0.5 or "
                        + "10.1.0.0/24",
                error("pasv_proxy_protocol=YES\nproxy_protocol_trusted=\n"));
    }

    @Test
    void aHostNameOrABadNetworkIsRefusedWithItsLine() {
        assertEquals("/etc/ferry.conf:1: not a numeric address: 'lb.example.com' for proxy_protocol_trusted, got "
                + "'10.0.0.5,lb.example.com'", error("proxy_protocol_trusted=10.0.0.5,lb.example.com\n"));
        assertEquals("/etc/ferry.conf:1: bad prefix length /33 for proxy_protocol_trusted, got '10.0.0.0/33'",
                error("proxy_protocol_trusted=10.0.0.0/33\n"));
        assertEquals("/etc/ferry.conf:1: expected comma-separated addresses or CIDR networks without empty items for "
                + "proxy_protocol_trusted, got '10.0.0.5,'", error("proxy_protocol_trusted=10.0.0.5,\n"));
    }
}
