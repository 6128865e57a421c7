package dev.ferry.server.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where settings come from: a config file or the {@code -o} overrides of the command line. Sources are
 * applied in order and later ones win, as vsftpd applies {@code -o} options after its config file.
 */
public sealed interface Source {

    /** The line at {@code index} (0-based), as the parser's errors should name it. */
    String where(int index);

    List<String> lines();

    /**
     * Reads a config file as UTF-8. A file that cannot be read is fatal, as for vsftpd ("cannot read
     * config file").
     */
    static Source file(Path path) throws ConfigException {
        try {
            return new File(path.toString(), Files.readAllLines(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new ConfigException("cannot read config file " + path + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new ConfigException("cannot read config file " + path + ": permission denied", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException("cannot read config file " + path + ": it is not UTF-8 text", e);
        } catch (IOException e) {
            String reason = Files.isDirectory(path) ? "it is a directory" : String.valueOf(e.getMessage());
            throw new ConfigException("cannot read config file " + path + ": " + reason, e);
        }
    }

    /** Config file text that is already in memory; {@code name} is used in messages like a file name. */
    static Source text(String name, String content) {
        return new File(name, content.lines().toList());
    }

    /** {@code -o} settings, each {@code name=value} without the {@code -o}. */
    static Source overrides(List<String> settings) {
        return new Overrides(settings);
    }

    /** Lines of a config file; errors read {@code NAME:LINE: message}. */
    record File(String name, List<String> lines) implements Source {
        public File {
            Objects.requireNonNull(name, "name");
            lines = List.copyOf(lines);
        }

        @Override
        public String where(int index) {
            return name + ":" + (index + 1);
        }
    }

    /**
     * Command line overrides; errors read {@code command line (-o name=value): message}, since the
     * position in argv helps nobody.
     */
    record Overrides(List<String> lines) implements Source {
        public Overrides {
            lines = List.copyOf(lines);
        }

        @Override
        public String where(int index) {
            return "command line (-o " + lines.get(index) + ")";
        }
    }
}
