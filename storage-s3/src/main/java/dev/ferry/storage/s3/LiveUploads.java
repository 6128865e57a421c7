package dev.ferry.storage.s3;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The multipart upload ids this process has open, which the janitor never aborts. */
final class LiveUploads {

    private final Set<String> ids = ConcurrentHashMap.newKeySet();

    void add(String uploadId) {
        ids.add(uploadId);
    }

    void remove(String uploadId) {
        ids.remove(uploadId);
    }

    boolean contains(String uploadId) {
        return ids.contains(uploadId);
    }
}
