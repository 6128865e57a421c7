package dev.ferry.server.tls;

import java.util.List;

/**
 * How TLS connections are set up, from the ssl_* directives.
 *
 * @param protocols     enabled protocol names, e.g. TLSv1.3 and TLSv1.2 (never older)
 * @param ciphers       enabled cipher suites; empty keeps the JDK's defaults
 * @param requestCert   ask for a client certificate (ssl_request_cert)
 * @param requireCert   refuse a client without one (require_cert)
 * @param requireReuse  data connections must resume the control connection's TLS session
 *                      (require_ssl_reuse)
 */
public record TlsPolicy(List<String> protocols, List<String> ciphers, boolean requestCert, boolean requireCert,
                        boolean requireReuse) {

    public TlsPolicy {
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("no TLS protocol enabled: set ssl_tlsv1_2 or ssl_tlsv1_3");
        }
    }
}
