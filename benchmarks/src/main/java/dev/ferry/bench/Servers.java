package dev.ferry.bench;

import java.nio.file.Path;
import java.util.List;

/** Starts an embedded server by the name used in JMH parameters and load tool options. */
public final class Servers {

    public static final String FERRY_LOCAL = "ferry-local";
    /** Ferry on local disk without the fsync before an upload's rename (local_upload_fsync=NO), as the C servers store. */
    public static final String FERRY_NO_FSYNC = "ferry-nofsync";
    public static final String FERRY_MEMORY = "ferry-memory";
    public static final String FERRY_S3 = "ferry-s3";
    public static final String FERRY_VFS = "ferry-vfs";
    public static final String FTPSERVER = "ftpserver";

    private Servers() {
    }

    public static EmbeddedServer start(String name, Path root) throws Exception {
        return switch (name) {
            case FERRY_LOCAL -> FerryLauncher.local(root);
            case FERRY_NO_FSYNC -> FerryLauncher.local(FERRY_NO_FSYNC, root, List.of("local_upload_fsync=NO"));
            case FERRY_MEMORY -> FerryLauncher.memory(root);
            case FERRY_S3 -> FerryLauncher.s3(root);
            case FERRY_VFS -> FerryLauncher.vfs(root);
            case FTPSERVER -> ApacheLauncher.start(root);
            default -> throw new IllegalArgumentException(
                    "unknown server " + name + "; known: " + String.join(", ", FERRY_LOCAL, FERRY_NO_FSYNC, FERRY_MEMORY, FERRY_S3,
                            FERRY_VFS, FTPSERVER));
        };
    }
}
