package dev.ferry.server.auth;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jvnet.libpam.impl.LinuxPasswd;

/**
 * An account's home directory and groups from the C library (NSS: /etc/passwd, sssd, LDAP...),
 * with the reentrant calls only. libpam4j's own {@code UnixUser} reads them with getpwnam and
 * getgrgid, which share one static buffer in the process: two logins at once then read each other's
 * (measured: a user got {@code nobody}'s home under load). Glibc's getpwnam_r and getgrgid_r write
 * into the caller's buffer instead.
 */
final class SystemAccounts {

    /** Enough for any passwd or group line; ERANGE doubles it up to {@link #MAX_BUFFER}. */
    private static final int BUFFER = 16 * 1024;
    private static final int MAX_BUFFER = 1024 * 1024;
    private static final int ERANGE = 34;
    private static final int MAX_GROUPS = 65_536;

    /** The declarations of pwd.h, grp.h (glibc, Linux): JNA maps them, no native code of ours. */
    interface Libc extends Library {
        Libc INSTANCE = Native.load("c", Libc.class);

        int getpwnam_r(String name, LinuxPasswd pwd, Pointer buf, long buflen, PointerByReference result);

        int getgrgid_r(int gid, Group grp, Pointer buf, long buflen, PointerByReference result);

        int getgrouplist(String user, int group, int[] groups, IntByReference ngroups);
    }

    /** struct group, all four fields, so the C library never writes past what JNA allocated. */
    @Structure.FieldOrder({"gr_name", "gr_passwd", "gr_gid", "gr_mem"})
    public static final class Group extends Structure {
        public String gr_name;
        public String gr_passwd;
        public int gr_gid;
        public Pointer gr_mem;
    }

    private SystemAccounts() {
    }

    /** The account {@code name}, with its home and its groups (primary first), if it exists. */
    static Optional<User> find(String name) {
        for (int size = BUFFER; size <= MAX_BUFFER; size *= 2) {
            LinuxPasswd pwd = new LinuxPasswd();
            PointerByReference result = new PointerByReference();
            try (Memory buffer = new Memory(size)) {
                int error = Libc.INSTANCE.getpwnam_r(name, pwd, buffer, size, result);
                if (error == ERANGE) {
                    continue;
                }
                if (error != 0 || result.getValue() == null) {
                    return Optional.empty();
                }
                pwd.read();
                String home = pwd.getPwDir() == null ? "" : pwd.getPwDir();
                return Optional.of(new User(pwd.getPwName(), home, groups(pwd.getPwName(), pwd.getPwGid())));
            }
        }
        return Optional.empty();
    }

    private static List<String> groups(String user, int primary) {
        int[] ids = new int[64];
        IntByReference count = new IntByReference(ids.length);
        while (Libc.INSTANCE.getgrouplist(user, primary, ids, count) < 0 && count.getValue() <= MAX_GROUPS) {
            ids = new int[Math.max(count.getValue(), ids.length * 2)];
            count.setValue(ids.length);
        }
        List<String> names = new ArrayList<>();
        group(primary).ifPresent(names::add);
        for (int i = 0; i < Math.min(count.getValue(), ids.length); i++) {
            if (ids[i] != primary) {
                group(ids[i]).filter(g -> !names.contains(g)).ifPresent(names::add);
            }
        }
        return names;
    }

    private static Optional<String> group(int gid) {
        for (int size = BUFFER; size <= MAX_BUFFER; size *= 2) {
            Group group = new Group();
            PointerByReference result = new PointerByReference();
            try (Memory buffer = new Memory(size)) {
                int error = Libc.INSTANCE.getgrgid_r(gid, group, buffer, size, result);
                if (error == ERANGE) {
                    continue;
                }
                if (error != 0 || result.getValue() == null) {
                    return Optional.empty();
                }
                group.read();
                return Optional.ofNullable(group.gr_name);
            }
        }
        return Optional.empty();
    }
}
