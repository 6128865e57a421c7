package dev.ferry.bench;

import java.nio.file.Path;
import java.util.List;
import org.apache.ftpserver.ConnectionConfigFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.filesystem.nativefs.NativeFileSystemFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.listener.Listener;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginPermission;
import org.apache.ftpserver.usermanager.impl.TransferRatePermission;
import org.apache.ftpserver.usermanager.impl.WritePermission;

/**
 * Apache FtpServer 1.2.1, the baseline, started in-process on its native file system with the
 * settings Ferry gets from {@link FerryLauncher}: anonymous with write access, no login caps.
 * Everything else stays at its defaults (thread pool, buffers, Nagle on the control socket), since
 * the defaults are what its users run.
 */
public final class ApacheLauncher {

    /** Its default max logins is 10: raised so the load tool's 10,000 sessions get in. */
    private static final int MAX_LOGINS = 100_000;

    private ApacheLauncher() {
    }

    public static EmbeddedServer start(Path root) throws Exception {
        FtpServerFactory factory = new FtpServerFactory();
        ListenerFactory listenerFactory = new ListenerFactory();
        listenerFactory.setServerAddress("127.0.0.1");
        listenerFactory.setPort(0);
        listenerFactory.setIdleTimeout(900);
        Listener listener = listenerFactory.createListener();
        factory.addListener("default", listener);

        ConnectionConfigFactory connections = new ConnectionConfigFactory();
        connections.setAnonymousLoginEnabled(true);
        connections.setMaxLogins(MAX_LOGINS);
        connections.setMaxAnonymousLogins(MAX_LOGINS);
        factory.setConnectionConfig(connections.createConnectionConfig());

        NativeFileSystemFactory files = new NativeFileSystemFactory();
        files.setCreateHome(false);
        factory.setFileSystem(files);
        factory.setUserManager(anonymousOnly(root));

        FtpServer server = factory.createServer();
        server.start();
        return new EmbeddedServer() {
            @Override
            public int port() {
                return listener.getPort();
            }

            @Override
            public String name() {
                return "ftpserver";
            }

            @Override
            public void close() {
                server.stop();
            }
        };
    }

    /** An in-memory user manager holding "anonymous" with the rights PropertiesUserManager grants. */
    private static UserManager anonymousOnly(Path root) throws Exception {
        UserManager users = new PropertiesUserManagerFactory().createUserManager();
        BaseUser anonymous = new BaseUser();
        anonymous.setName("anonymous");
        anonymous.setHomeDirectory(root.toString());
        anonymous.setEnabled(true);
        anonymous.setMaxIdleTime(0);
        List<Authority> rights = List.of(new WritePermission(), new ConcurrentLoginPermission(0, 0),
                new TransferRatePermission(0, 0));
        anonymous.setAuthorities(rights);
        users.save(anonymous);
        return users;
    }
}
