package dev.ferry.storage.local;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where a {@link Walk} ended: the entry {@code name} of the open directory {@code dir}, with its own
 * attributes (not followed; null when there is no such entry), or, when {@code name} is null, the
 * jail root {@code dir} itself. Valid while the walk that made it is open.
 */
record Entry(Dir dir, Path name, BasicFileAttributes attributes) {

    boolean isRoot() {
        return name == null;
    }

    boolean exists() {
        return attributes != null;
    }

    boolean isDirectory() {
        return attributes != null && attributes.isDirectory();
    }

    boolean isRegularFile() {
        return attributes != null && attributes.isRegularFile();
    }

    boolean isLink() {
        return attributes != null && attributes.isSymbolicLink();
    }
}
