package dev.ferry.server.command;

import dev.ferry.server.config.CoreDirectives;
import dev.ferry.server.session.Session;
import dev.ferry.storage.StorageException;
import dev.ferry.storage.StoragePath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * dirmessage_enable: the message_file of a directory, shown as the leading lines of the 230 or
 * 250 reply the first time a session enters the directory (vsftpd's vsf_banner_dir_changed).
 */
final class DirMessage {

    /** A message is a few lines for people; a big file there is not one. */
    private static final int MAX_BYTES = 8 * 1024;

    private DirMessage() {
    }

    /** The lines to show on entering {@code visible}, or none. */
    static List<String> on(Session session, StoragePath visible) {
        if (!session.config().get(CoreDirectives.DIRMESSAGE_ENABLE)) {
            return List.of();
        }
        String name = session.config().get(CoreDirectives.MESSAGE_FILE);
        if (name.isEmpty() || !session.user().firstVisit(visible)) {
            return List.of();
        }
        StoragePath file;
        try {
            file = visible.child(name);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        try (InputStream in = Channels.newInputStream(session.user().storage().openRead(file, 0))) {
            String text = new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8);
            return text.lines().map(String::stripTrailing).toList();
        } catch (StorageException | IOException e) {
            return List.of(); // no message in this directory
        }
    }
}
