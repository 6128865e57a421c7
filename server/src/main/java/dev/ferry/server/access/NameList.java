package dev.ferry.server.access;

import dev.ferry.server.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A file of names, one a line, as vsftpd's user_list, chroot_list, banned_emails and
 * email_passwords files and /etc/ftpusers are: blanks around a name are dropped, blank lines and
 * lines starting with {@code #} skipped. Names compare exactly (case matters).
 */
public record NameList(Set<String> names) {

    public static final NameList EMPTY = new NameList(Set.of());

    public NameList {
        names = Set.copyOf(names);
    }

    /**
     * Reads {@code file}, named by {@code directive} in the error: vsftpd too refuses to start when a
     * list it was told to use cannot be read.
     */
    public static NameList load(String directive, Path file) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(directive + "=" + file + ": cannot read the file: " + e.getMessage(), e);
        }
        return of(lines);
    }

    static NameList of(List<String> lines) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : lines) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                names.add(name);
            }
        }
        return new NameList(names);
    }

    public boolean contains(String name) {
        return names.contains(name);
    }
}
