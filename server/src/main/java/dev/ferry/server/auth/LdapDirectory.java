package dev.ferry.server.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.naming.AuthenticationException;
import javax.naming.CommunicationException;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.NoPermissionException;
import javax.naming.OperationNotSupportedException;
import javax.naming.PartialResultException;
import javax.naming.ServiceUnavailableException;
import javax.naming.SizeLimitExceededException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.InitialLdapContext;
import javax.naming.ldap.LdapContext;
import javax.naming.ldap.StartTlsRequest;
import javax.naming.ldap.StartTlsResponse;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LDAP directory as the {@code ldap_*} directives describe it, with the connections it keeps
 * open between logins. A login is the usual search-then-bind: find the user's entry with
 * {@code ldap_user_filter} under {@code ldap_user_base} (as {@code ldap_bind_dn} or anonymously),
 * read the groups with {@code ldap_group_filter}, then bind as the entry's DN with the password
 * the client gave. Only that bind decides the password.
 *
 * <p>Connections are reused: a login borrows an idle one (or opens one) and gives it back. The
 * user's bind leaves a connection bound as that user, so the next login binds it as the service
 * account again before it searches (a rebind on the same connection, RFC 4511 4.2.1), as
 * mod_authnz_ldap does. A connection idle for {@link #MAX_IDLE_MILLIS} is closed instead of reused
 * (directories and load balancers drop idle connections silently), by the next login or by a
 * background sweep, which also closes those of a configuration a reload replaced. Any error other than a refused
 * bind closes the connection. JNDI's own pool is not used: it keeps one pool per bound identity
 * and is configured through system properties for the whole JVM.
 *
 * <p>Every call blocks (JNDI has no asynchronous API): {@link LdapAccounts} runs it on
 * {@link LoginThreads}.
 */
final class LdapDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(LdapDirectory.class);

    /** Directories (settings) kept with their connections: the running configuration and a few old ones. */
    private static final int KEPT = 8;
    static final long MAX_IDLE_MILLIS = TimeUnit.SECONDS.toMillis(60);
    /** Most groups one user may be in; more is a misconfigured filter, not a user. */
    static final int MAX_GROUPS = 1000;
    /** The DN a login for an unknown name binds as, so it costs the directory a bind too. */
    static final String NO_SUCH_USER = "cn=ferry-no-such-user";

    private static final ReentrantLock OPEN_LOCK = new ReentrantLock();
    private static final Map<LdapSettings, LdapDirectory> OPEN = new LinkedHashMap<>(16, 0.75f, true);
    /** Closes idle connections in the background, so none stays open to a directory no login uses any more (after a reload). */
    private static final AtomicBoolean SWEEPING = new AtomicBoolean();

    private final LdapSettings settings;
    /** TLS for ldaps:// or StartTLS: the CA file's certificates, or the JDK's trust store; null for plain LDAP. */
    private final SSLSocketFactory tls;
    private final String bindPassword;
    private final ArrayBlockingQueue<Connection> idle;
    private volatile boolean closed;

    /** An open connection; used by one login at a time. */
    private static final class Connection {
        final LdapContext context;
        final StartTlsResponse startTls;
        boolean boundAsUser;
        long lastUsed = System.currentTimeMillis();

        Connection(LdapContext context, StartTlsResponse startTls) {
            this.context = context;
            this.startTls = startTls;
        }

        void close() {
            try {
                context.close();
            } catch (NamingException e) {
                // closing: nothing left to do with it
            }
        }
    }

    /** The directory cannot be used as configured (a file unreadable, a certificate bad): not the user's fault. */
    static final class SetupException extends Exception {
        SetupException(String message) {
            super(message);
        }
    }

    private LdapDirectory(LdapSettings settings, SSLSocketFactory tls, String bindPassword) {
        this.settings = settings;
        this.tls = tls;
        this.bindPassword = bindPassword;
        this.idle = new ArrayBlockingQueue<>(settings.poolSize());
    }

    /** The directory for {@code settings}, with the connections earlier logins left open. */
    static LdapDirectory of(LdapSettings settings) throws SetupException {
        OPEN_LOCK.lock();
        try {
            LdapDirectory open = OPEN.get(settings);
            if (open != null) {
                return open;
            }
        } finally {
            OPEN_LOCK.unlock();
        }
        if (SWEEPING.compareAndSet(false, true)) {
            Thread.ofVirtual().name("ferry-ldap-idle").start(LdapDirectory::sweep);
        }
        // files are read outside the lock; two logins racing here make two, and one is kept
        LdapDirectory made = new LdapDirectory(settings, settings.secure() ? tls(settings) : null, password(settings));
        List<LdapDirectory> evicted = new ArrayList<>();
        LdapDirectory kept;
        OPEN_LOCK.lock();
        try {
            kept = OPEN.putIfAbsent(settings, made);
            if (kept == null) {
                kept = made;
            }
            while (OPEN.size() > KEPT) {
                var eldest = OPEN.entrySet().iterator();
                evicted.add(eldest.next().getValue());
                eldest.remove();
            }
        } finally {
            OPEN_LOCK.unlock();
        }
        evicted.forEach(LdapDirectory::close);
        return kept;
    }

    private static String password(LdapSettings settings) throws SetupException {
        if (settings.bindPasswordFile().isEmpty()) {
            return "";
        }
        Path file = settings.bindPasswordFile().get();
        try {
            // the first line; a trailing newline from an editor or echo is no part of the password
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String first = text.lines().findFirst().orElse("");
            if (first.isEmpty()) {
                throw new SetupException("ldap_bind_password_file " + file + " is empty");
            }
            return first;
        } catch (IOException e) {
            throw new SetupException("cannot read ldap_bind_password_file " + file + ": " + e);
        }
    }

    private static SSLSocketFactory tls(LdapSettings settings) throws SetupException {
        try {
            if (settings.caFile().isEmpty()) {
                return (SSLSocketFactory) SSLSocketFactory.getDefault();
            }
            Path file = settings.caFile().get();
            Collection<? extends Certificate> certificates;
            try (InputStream in = Files.newInputStream(file)) {
                certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            } catch (IOException e) {
                throw new SetupException("cannot read ldap_ca_file " + file + ": " + e);
            } catch (GeneralSecurityException e) {
                throw new SetupException("ldap_ca_file " + file + " holds no readable PEM certificate: " + e.getMessage());
            }
            if (certificates.isEmpty()) {
                throw new SetupException("ldap_ca_file " + file + " holds no certificate");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new SetupException("cannot set up TLS for LDAP: " + e);
        }
    }

    /** Every half {@link #MAX_IDLE_MILLIS}, closes the connections idle longer than that, in every directory. */
    private static void sweep() {
        while (true) {
            try {
                Thread.sleep(MAX_IDLE_MILLIS / 2);
            } catch (InterruptedException e) {
                return;
            }
            List<LdapDirectory> directories;
            OPEN_LOCK.lock();
            try {
                directories = List.copyOf(OPEN.values());
            } finally {
                OPEN_LOCK.unlock();
            }
            directories.forEach(LdapDirectory::closeStale);
        }
    }

    private void closeStale() {
        List<Connection> fresh = new ArrayList<>();
        Connection connection;
        while ((connection = idle.poll()) != null) {
            if (System.currentTimeMillis() - connection.lastUsed > MAX_IDLE_MILLIS) {
                connection.close();
            } else {
                fresh.add(connection);
            }
        }
        fresh.forEach(this::giveBackUnchanged);
    }

    private void giveBackUnchanged(Connection connection) {
        if (closed || !idle.offer(connection)) {
            connection.close();
        }
    }

    /** Closes the idle connections; connections in use are closed when given back. */
    private void close() {
        closed = true;
        Connection connection;
        while ((connection = idle.poll()) != null) {
            connection.close();
        }
    }

    /**
     * Checks {@code name} and {@code password} (not empty: the caller refuses that, RFC 4513
     * 5.1.2). A connection from the pool that turns out to be dead is replaced once.
     */
    LoginResult authenticate(String name, String password) {
        for (int attempt = 0; ; attempt++) {
            Connection connection = idle.poll();
            while (connection != null && System.currentTimeMillis() - connection.lastUsed > MAX_IDLE_MILLIS) {
                connection.close();
                connection = idle.poll();
            }
            boolean reused = connection != null;
            try {
                if (connection == null) {
                    connection = open();
                }
                LoginResult result = authenticate(connection, name, password);
                giveBack(connection);
                return result;
            } catch (CommunicationException | ServiceUnavailableException e) {
                if (connection != null) {
                    connection.close();
                }
                if (reused && attempt == 0) {
                    // the server closed an idle connection (restart, idle timeout): try a new one
                    continue;
                }
                return unavailable("cannot reach", e);
            } catch (NamingException e) {
                if (connection != null) {
                    connection.close();
                }
                return unavailable("error from", e);
            }
        }
    }

    private LoginResult unavailable(String what, NamingException e) {
        return new LoginResult.Unavailable("LDAP: " + what + " " + settings.urls() + ": " + describe(e));
    }

    private void giveBack(Connection connection) {
        connection.lastUsed = System.currentTimeMillis();
        giveBackUnchanged(connection);
    }

    private Connection open() throws NamingException {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, settings.urls());
        env.put(Context.REFERRAL, "ignore");
        env.put("java.naming.ldap.version", "3");
        String millis = Long.toString(settings.timeout().toMillis());
        env.put("com.sun.jndi.ldap.connect.timeout", millis);
        env.put("com.sun.jndi.ldap.read.timeout", millis);
        if (settings.startTls()) {
            // no bind before the connection is encrypted
            env.put(Context.SECURITY_AUTHENTICATION, "none");
        } else {
            serviceIdentity(env);
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        LdapContext context;
        try {
            if (settings.ldaps()) {
                // JNDI loads the factory by name through the context class loader
                Thread.currentThread().setContextClassLoader(LdapSocketFactory.class.getClassLoader());
                env.put("java.naming.ldap.factory.socket", LdapSocketFactory.class.getName());
                LdapSocketFactory.use(tls);
            }
            context = new InitialLdapContext(env, null);
        } catch (AuthenticationException e) {
            throw serviceRefused(e);
        } finally {
            LdapSocketFactory.clear();
            Thread.currentThread().setContextClassLoader(loader);
        }
        if (!settings.startTls()) {
            return new Connection(context, null);
        }
        Connection connection;
        try {
            StartTlsResponse response = (StartTlsResponse) context.extendedOperation(new StartTlsRequest());
            // checks the certificate against the URL's host name itself (StartTlsResponse.negotiate)
            response.negotiate(tls);
            connection = new Connection(context, response);
        } catch (IOException e) {
            closeQuietly(context);
            CommunicationException failed = new CommunicationException("StartTLS failed: " + e.getMessage());
            failed.setRootCause(e);
            throw failed;
        } catch (NamingException e) {
            closeQuietly(context);
            throw e;
        }
        connection.boundAsUser = true; // not bound yet: bind as the service account before use
        return connection;
    }

    private static void closeQuietly(LdapContext context) {
        try {
            context.close();
        } catch (NamingException ignored) {
            // already failing
        }
    }

    private void serviceIdentity(Hashtable<String, Object> env) {
        if (settings.bindDn().isEmpty()) {
            env.put(Context.SECURITY_AUTHENTICATION, "none");
        } else {
            env.put(Context.SECURITY_AUTHENTICATION, "simple");
            env.put(Context.SECURITY_PRINCIPAL, settings.bindDn());
            env.put(Context.SECURITY_CREDENTIALS, bindPassword);
        }
    }

    private NamingException serviceRefused(AuthenticationException e) {
        // the service account's password is wrong: every login would fail, so it is no 530
        NamingException refused = new NamingException("the directory refused ldap_bind_dn '" + settings.bindDn()
                + "' (check ldap_bind_password_file): " + describe(e));
        refused.setRootCause(e);
        return refused;
    }

    /** Binds {@code connection} as the service account (or anonymously) again. */
    private void bindService(Connection connection) throws NamingException {
        LdapContext context = connection.context;
        context.removeFromEnvironment(Context.SECURITY_PRINCIPAL);
        context.removeFromEnvironment(Context.SECURITY_CREDENTIALS);
        Hashtable<String, Object> env = new Hashtable<>();
        serviceIdentity(env);
        for (Map.Entry<String, Object> entry : env.entrySet()) {
            context.addToEnvironment(entry.getKey(), entry.getValue());
        }
        try {
            context.reconnect(null);
        } catch (AuthenticationException e) {
            throw serviceRefused(e);
        }
        connection.boundAsUser = false;
    }

    /** Binds as {@code dn}; false when the directory refuses the password. */
    private boolean bindUser(Connection connection, String dn, String password) throws NamingException {
        LdapContext context = connection.context;
        context.addToEnvironment(Context.SECURITY_AUTHENTICATION, "simple");
        context.addToEnvironment(Context.SECURITY_PRINCIPAL, dn);
        context.addToEnvironment(Context.SECURITY_CREDENTIALS, password);
        connection.boundAsUser = true;
        try {
            context.reconnect(null);
            return true;
        } catch (AuthenticationException | NoPermissionException
                 | OperationNotSupportedException e) {
            // invalidCredentials (49), insufficientAccessRights (50), unwillingToPerform (53) for a
            // locked or disabled account: all a refusal of this login, told apart in the log only
            LOG.info("LDAP refused the bind as '{}': {}", dn, describe(e));
            return false;
        } finally {
            context.removeFromEnvironment(Context.SECURITY_CREDENTIALS);
        }
    }

    private LoginResult authenticate(Connection connection, String name, String password) throws NamingException {
        if (connection.boundAsUser) {
            bindService(connection);
        }
        LdapContext context = connection.context;
        List<String> wanted = new ArrayList<>();
        for (String attribute : List.of(settings.nameAttribute(), settings.homeAttribute(),
                settings.directiveAttribute())) {
            if (!attribute.isEmpty()) {
                wanted.add(attribute);
            }
        }
        int millis = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        SearchControls controls = new SearchControls(SearchControls.SUBTREE_SCOPE, 2, millis,
                wanted.toArray(String[]::new), false, false);
        List<SearchResult> found = new ArrayList<>();
        NamingEnumeration<SearchResult> results = context.search(settings.userBase(),
                LdapFilter.fill(settings.userFilter(), name, ""), controls);
        try {
            while (results.hasMore()) {
                found.add(results.next());
            }
        } catch (SizeLimitExceededException e) {
            // more than one entry: found holds two already
        } catch (PartialResultException e) {
            // a continuation reference (Active Directory searched from its root), not followed
        } finally {
            results.close();
        }
        if (found.size() != 1) {
            if (found.size() > 1) {
                LOG.warn("LDAP: ldap_user_filter matches more than one entry for '{}'; the login is refused",
                        printable(name));
            }
            // bind anyway, so an unknown name costs the same round trips as a wrong password
            String base = settings.userBase();
            try {
                bindUser(connection, base.isEmpty() ? NO_SUCH_USER : NO_SUCH_USER + "," + base, password);
            } catch (CommunicationException | ServiceUnavailableException e) {
                throw e;
            } catch (NamingException e) {
                // whatever the directory answers for a DN it lacks (noSuchObject, ...): still a refusal
                LOG.debug("LDAP: the stand-in bind for an unknown name: {}", describe(e));
            }
            return LoginResult.REFUSED;
        }
        SearchResult entry = found.getFirst();
        String dn = entry.getNameInNamespace();
        List<String> groups = groups(context, name, dn);
        if (!bindUser(connection, dn, password)) {
            return LoginResult.REFUSED;
        }
        Attributes attributes = entry.getAttributes();
        List<String> names = values(attributes, settings.nameAttribute());
        // the directory's spelling of the name (uid=Alice matches "alice"): rules and logs see one name
        String canonical = names.stream().filter(name::equalsIgnoreCase).findFirst()
                .orElse(names.isEmpty() ? name : names.getFirst());
        List<String> homes = values(attributes, settings.homeAttribute());
        return new LoginResult.Accepted(new User(canonical, homes.isEmpty() ? "" : homes.getFirst(), groups,
                values(attributes, settings.directiveAttribute())));
    }

    private List<String> groups(LdapContext context, String name, String dn) throws NamingException {
        if (settings.groupBase().isEmpty()) {
            return List.of();
        }
        int millis = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        SearchControls controls = new SearchControls(SearchControls.SUBTREE_SCOPE, MAX_GROUPS, millis,
                new String[] {settings.groupNameAttribute()}, false, false);
        List<String> groups = new ArrayList<>();
        NamingEnumeration<SearchResult> results = context.search(settings.groupBase(),
                LdapFilter.fill(settings.groupFilter(), name, dn), controls);
        try {
            while (results.hasMore()) {
                groups.addAll(values(results.next().getAttributes(), settings.groupNameAttribute()));
            }
        } catch (SizeLimitExceededException e) {
            // a partial list could leave out the group a rule keys on
            NamingException tooMany = new NamingException("ldap_group_filter matches more than " + MAX_GROUPS
                    + " groups for one user");
            tooMany.setRootCause(e);
            throw tooMany;
        } catch (PartialResultException e) {
            // a continuation reference, not followed (ldap_group_base should name where the groups are)
        } finally {
            results.close();
        }
        return groups.stream().distinct().toList();
    }

    private static List<String> values(Attributes attributes, String name) throws NamingException {
        if (name.isEmpty()) {
            return List.of();
        }
        Attribute attribute = attributes.get(name);
        if (attribute == null) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        NamingEnumeration<?> all = attribute.getAll();
        try {
            while (all.hasMore()) {
                if (all.next() instanceof String value) {
                    values.add(value);
                }
            }
        } finally {
            all.close();
        }
        return values;
    }

    private static String describe(NamingException e) {
        String text = e.getExplanation() != null ? e.getExplanation() : e.toString();
        Throwable cause = e.getRootCause();
        return cause == null ? text : text + " (" + cause + ")";
    }

    static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
