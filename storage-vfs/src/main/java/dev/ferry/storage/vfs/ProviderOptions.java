package dev.ferry.storage.vfs;

import java.nio.charset.StandardCharsets;
import org.apache.commons.vfs2.FileSystemException;
import org.apache.commons.vfs2.FileSystemOptions;
import org.apache.commons.vfs2.auth.StaticUserAuthenticator;
import org.apache.commons.vfs2.impl.DefaultFileSystemConfigBuilder;
import org.apache.commons.vfs2.provider.ftp.FtpFileSystemConfigBuilder;
import org.apache.commons.vfs2.provider.http4.Http4FileSystemConfigBuilder;
import org.apache.commons.vfs2.provider.sftp.IdentityInfo;
import org.apache.commons.vfs2.provider.sftp.SftpFileSystemConfigBuilder;
import org.apache.commons.vfs2.provider.webdav4.Webdav4FileSystemConfigBuilder;

/**
 * Turns {@link VfsConfig} into Commons VFS {@link FileSystemOptions}. Every builder keeps its values
 * under its own keys in the one options object and each provider reads only its own, so the options
 * of all bundled providers are set regardless of the root's scheme; a layered root such as
 * {@code zip:sftp://host/a.zip!/} thereby gets the SFTP options for its inner file system too.
 */
final class ProviderOptions {

    private ProviderOptions() {
    }

    static FileSystemOptions from(VfsConfig config) throws FileSystemException {
        FileSystemOptions options = new FileSystemOptions();
        if (!config.password().isEmpty()) {
            // a null user name keeps the one in the URI (UserAuthenticatorUtils.getData falls back to it)
            DefaultFileSystemConfigBuilder.getInstance().setUserAuthenticator(options,
                    new StaticUserAuthenticator(null, null, config.password()));
        }

        SftpFileSystemConfigBuilder sftp = SftpFileSystemConfigBuilder.getInstance();
        sftp.setStrictHostKeyChecking(options, config.strictHostKeyChecking() ? "yes" : "no");
        if (config.knownHosts().isPresent()) {
            sftp.setKnownHosts(options, config.knownHosts().get().toFile());
        }
        if (config.privateKey().isPresent()) {
            byte[] passphrase = config.passphrase().isEmpty() ? null : config.passphrase().getBytes(StandardCharsets.UTF_8);
            sftp.setIdentityProvider(options, new IdentityInfo(config.privateKey().get().toFile(), passphrase));
        }
        // SftpFileSystem otherwise probes with `id -u`; on an account forced to internal-sftp that
        // exec never answers like a shell would
        sftp.setDisableDetectExecChannel(options, config.noExec());
        sftp.setUserDirIsRoot(options, config.userDirIsRoot());
        sftp.setConnectTimeout(options, config.connectTimeout());
        // JSch's session timeout is the socket read timeout: a server that vanishes without a FIN
        // fails the blocked read after this long instead of hanging the transfer forever
        sftp.setSessionTimeout(options, config.timeout());

        FtpFileSystemConfigBuilder ftp = FtpFileSystemConfigBuilder.getInstance();
        ftp.setPassiveMode(options, true);
        ftp.setUserDirIsRoot(options, config.userDirIsRoot());
        ftp.setConnectTimeout(options, config.connectTimeout());
        ftp.setSoTimeout(options, config.timeout());
        ftp.setDataTimeout(options, config.timeout());

        for (Http4FileSystemConfigBuilder http : new Http4FileSystemConfigBuilder[] {
                Http4FileSystemConfigBuilder.getInstance(), Webdav4FileSystemConfigBuilder.getInstance()}) {
            http.setConnectionTimeout(options, config.connectTimeout());
            http.setSoTimeout(options, config.timeout());
        }
        return options;
    }
}
