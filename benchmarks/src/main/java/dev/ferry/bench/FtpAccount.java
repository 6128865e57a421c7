package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The system's {@code ftp} account, which all three C servers switch to for anonymous sessions:
 * its home (pure-ftpd's anonymous root) and its primary group's name (proftpd's {@code Group}).
 * Read from /etc/passwd and /etc/group, which the Debian packages fill ({@code apt-get install
 * vsftpd} creates it).
 */
record FtpAccount(String user, Path home, String group) {

    static FtpAccount lookUp() throws IOException {
        Path passwd = Path.of("/etc/passwd");
        if (!Files.isReadable(passwd)) {
            throw new IOException("no /etc/passwd to find the ftp user in");
        }
        for (String line : Files.readAllLines(passwd)) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 6 && fields[0].equals("ftp")) {
                return new FtpAccount("ftp", Path.of(fields[5]), groupName(fields[3]));
            }
        }
        throw new IOException("no ftp user on this system (apt-get install vsftpd creates it)");
    }

    private static String groupName(String gid) throws IOException {
        Path group = Path.of("/etc/group");
        List<String> lines = Files.isReadable(group) ? Files.readAllLines(group) : List.of();
        for (String line : lines) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 3 && fields[2].equals(gid)) {
                return fields[0];
            }
        }
        throw new IOException("the ftp user's group " + gid + " is not in /etc/group");
    }
}
