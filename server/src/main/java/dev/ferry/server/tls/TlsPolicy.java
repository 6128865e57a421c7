package dev.ferry.server.tls;

import java.util.List;

/**
 * How TLS connections are set up, from the ssl_* directives.
 *
 * @param protocols     enabled protocol names, e.g. TLSv1.3 and TLSv1.2 (never older)
 * @param ciphers       enabled cipher suites; empty keeps the JDK's defaults
 * @param requestCert   ask for a client certificate (ssl_request_cert)
 * @param requireCert   refuse a client without one (require_cert)
 * @param validateCert  a client certificate must chain to ca_certs_file, or to the JDK's CAs
 *                      without one (validate_cert); otherwise any certificate is accepted, as in
 *                      vsftpd, because Ferry never uses it to identify a user
 * @param requireReuse  data connections must resume the control connection's TLS session
 *                      (require_ssl_reuse)
 * @param reuseSameUser with requireReuse: a data connection may resume the session of another
 *                      control connection of the same user from the same address (ssl_reuse_same_user)
 * @param checks        strict_ssl_read_eof, strict_ssl_write_shutdown, debug_ssl
 */
public record TlsPolicy(List<String> protocols, List<String> ciphers, boolean requestCert, boolean requireCert,
                        boolean validateCert, boolean requireReuse, boolean reuseSameUser, Checks checks) {

    /**
     * How TLS data connections end, and what is logged.
     *
     * @param strictReadEof       an upload must end with close_notify (strict_ssl_read_eof)
     * @param strictWriteShutdown a download must be answered with close_notify (strict_ssl_write_shutdown)
     * @param debug               log handshakes, tickets and failures at INFO (debug_ssl)
     */
    public record Checks(boolean strictReadEof, boolean strictWriteShutdown, boolean debug) {
        /** vsftpd's settings, except strict_ssl_read_eof, which Ferry turns on. */
        public static final Checks DEFAULT = new Checks(true, false, false);
    }

    public TlsPolicy {
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("no TLS protocol enabled: set ssl_tlsv1_2 or ssl_tlsv1_3");
        }
        for (String protocol : protocols) {
            if (!protocol.equals("TLSv1.2") && !protocol.equals("TLSv1.3")) {
                throw new IllegalArgumentException("TLS protocol " + protocol + " is not allowed (TLS 1.2 and 1.3 only)");
            }
        }
    }

    /** Whether the handshake asks the client for a certificate at all. */
    boolean asksForCertificate() {
        return requestCert || requireCert || validateCert;
    }
}
