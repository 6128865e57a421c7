package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** LIST, NLST (RFC 959) and MLSD (RFC 3659) as a real client parses them. */
@Timeout(60)
class ListingIT {

    private static final int FILES = 2_000;
    private static final int DIRECTORIES = 10;

    /** Anonymous, passive, binary, and UTF-8 on the control connection (RFC 2640). */
    private static FTPClient client(TestServer server) throws Exception {
        FTPClient client = new FTPClient();
        client.setControlEncoding(StandardCharsets.UTF_8.name());
        client.setDefaultTimeout(20_000);
        client.connect("127.0.0.1", server.port());
        client.setSoTimeout(20_000);
        assertTrue(client.login("anonymous", "x@example.com"), client.getReplyString());
        client.enterLocalPassiveMode();
        assertTrue(client.setFileType(FTP.BINARY_FILE_TYPE));
        return client;
    }

    private static String fileName(int i) {
        return String.format("file-%04d.txt", i);
    }

    @Test
    void aLargeDirectoryIsListedWholeByEveryCommand() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            for (int i = 0; i < FILES; i++) {
                server.put("/big/" + fileName(i), new byte[i]);
            }
            for (int i = 0; i < DIRECTORIES; i++) {
                server.put("/big/dir-" + i + "/inside", new byte[1]);
            }
            FTPClient client = client(server);
            assertTrue(client.changeWorkingDirectory("big"), client.getReplyString());

            Map<String, FTPFile> listed = byName(client.listFiles());
            assertEquals(226, client.getReplyCode(), client.getReplyString());
            checkEntries(listed, "LIST");

            Map<String, FTPFile> mlsd = byName(client.mlistDir());
            assertEquals(226, client.getReplyCode(), client.getReplyString());
            checkEntries(mlsd, "MLSD");
            // no access rules: the rights are worked out once for files and once for directories
            for (FTPFile entry : mlsd.values()) {
                String raw = entry.getRawListing();
                String perm = raw.substring(raw.indexOf("perm=") + 5, raw.indexOf(';', raw.indexOf("perm=")));
                assertEquals(entry.isDirectory() ? "el" : "r", perm, raw);
            }

            String[] names = client.listNames();
            assertNotNull(names, client.getReplyString());
            assertEquals(226, client.getReplyCode(), client.getReplyString());
            assertEquals(FILES + DIRECTORIES, names.length);
            assertEquals(listed.keySet(), new TreeSet<>(Arrays.asList(names)));
            client.disconnect();
        }
    }

    private static Map<String, FTPFile> byName(FTPFile[] files) {
        Map<String, FTPFile> map = new HashMap<>();
        for (FTPFile file : files) {
            assertNotNull(file, "an unparsable line");
            map.put(file.getName(), file);
        }
        return map;
    }

    private static void checkEntries(Map<String, FTPFile> listed, String how) {
        assertEquals(FILES + DIRECTORIES, listed.size(), how);
        for (int i = 0; i < FILES; i++) {
            FTPFile file = listed.get(fileName(i));
            assertNotNull(file, how + " lacks " + fileName(i));
            assertTrue(file.isFile(), how + " " + file.getRawListing());
            assertEquals(i, file.getSize(), how + " " + file.getRawListing());
        }
        for (int i = 0; i < DIRECTORIES; i++) {
            FTPFile dir = listed.get("dir-" + i);
            assertNotNull(dir, how + " lacks dir-" + i);
            assertTrue(dir.isDirectory(), how + " " + dir.getRawListing());
        }
    }

    @Test
    void namesWithSpacesAndUtf8() throws Exception {
        List<String> names = List.of("with space.txt", "  leading spaces", "grüße €.txt", "日本語.bin");
        try (TestServer server = TestServer.builder().start()) {
            for (String name : names) {
                server.put("/d/" + name, name.getBytes(StandardCharsets.UTF_8));
            }
            FTPClient client = client(server);
            assertTrue(client.changeWorkingDirectory("d"), client.getReplyString());
            Set<String> expected = new TreeSet<>(names);
            assertEquals(expected, new TreeSet<>(Arrays.asList(client.listNames())), "NLST");
            assertEquals(expected, byName(client.mlistDir()).keySet(), "MLSD");
            Map<String, FTPFile> listed = byName(client.listFiles());
            // the Unix LIST parser cannot keep leading spaces; the other names must be exact
            for (String name : names) {
                if (!name.startsWith(" ")) {
                    assertNotNull(listed.get(name), "LIST lacks " + name + ": " + listed.keySet());
                    assertEquals(name.getBytes(StandardCharsets.UTF_8).length, listed.get(name).getSize());
                }
            }
            assertEquals("日本語.bin".getBytes(StandardCharsets.UTF_8).length,
                    client.mlistFile("日本語.bin").getSize(), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void dotFilesShowOnlyWithDashA() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            server.put("/h/.hidden", new byte[3]);
            server.put("/h/visible", new byte[4]);
            FTPClient client = client(server);
            assertTrue(client.changeWorkingDirectory("h"));
            assertEquals(Set.of("visible"), byName(client.listFiles()).keySet());
            assertEquals(Set.of(".hidden", "visible"), byName(client.listFiles("-la")).keySet());
            client.setListHiddenFiles(true); // sends LIST -a
            assertEquals(Set.of(".hidden", "visible"), byName(client.listFiles()).keySet());
            client.disconnect();
        }
    }

    @Test
    void listOfOneFile() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            server.put("/dir/one.txt", new byte[1234]);
            FTPClient client = client(server);
            FTPFile[] files = client.listFiles("dir/one.txt");
            assertEquals(226, client.getReplyCode(), client.getReplyString());
            assertEquals(1, files.length);
            assertTrue(files[0].getName().endsWith("one.txt"), files[0].getRawListing());
            assertEquals(1234, files[0].getSize());
            assertTrue(files[0].isFile());
            client.disconnect();
        }
    }

    @Test
    void listOfADirectoryShowsBareNamesAndNlstShowsThemUnderThePath() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            server.put("/dir/x.txt", new byte[3]);
            server.put("/dir/y.txt", new byte[4]);
            FTPClient client = client(server);
            FTPFile[] files = client.listFiles("/dir");
            assertEquals(Set.of("x.txt", "y.txt"), Set.of(files[0].getName(), files[1].getName()));
            assertEquals(Set.of("dir/x.txt", "dir/y.txt"), Set.of(client.listNames("dir")));
            client.disconnect();
        }
    }

    @Test
    void nlstGlobs() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            for (String name : List.of("a.txt", "b.txt", "c.log", "dir/x.txt", "dir/y.txt", "dir/z.log")) {
                server.put("/" + name, new byte[1]);
            }
            FTPClient client = client(server);
            assertEquals(Set.of("a.txt", "b.txt"), Set.of(client.listNames("*.txt")));
            // a path before the pattern stays on the names, so "mget dir/*.txt" can RETR them
            assertEquals(Set.of("dir/x.txt", "dir/y.txt"), Set.of(client.listNames("dir/*.txt")));
            assertEquals(Set.of("dir/z.log"), Set.of(client.listNames("dir/?.log")));
            assertEquals(226, client.getReplyCode(), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void listOfAMissingPathIsRefused() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            FTPClient client = client(server);
            assertEquals(0, client.listFiles("missing").length);
            int code = client.getReplyCode();
            assertTrue(code == 550 || code == 450, client.getReplyString());
            assertTrue(client.listNames("missing") == null || client.listNames("missing").length == 0);
            code = client.getReplyCode();
            assertTrue(code == 550 || code == 450, client.getReplyString());
            assertEquals(0, client.mlistDir("missing").length);
            assertEquals(550, client.getReplyCode(), client.getReplyString());
            assertTrue(client.sendNoOp());
            client.disconnect();
        }
    }

    @Test
    void mlsdOfAFileIs501() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            server.put("/f.txt", new byte[5]);
            FTPClient client = client(server);
            assertEquals(0, client.mlistDir("f.txt").length);
            assertEquals(501, client.getReplyCode(), client.getReplyString());
            client.disconnect();
        }
    }

    @Test
    void emptyDirectoryListsNothing() throws Exception {
        try (TestServer server = TestServer.builder().start()) {
            server.storage.createDirectory(dev.ferry.storage.StoragePath.parse("/empty"));
            FTPClient client = client(server);
            assertTrue(client.changeWorkingDirectory("empty"), client.getReplyString());
            assertEquals(0, client.listFiles().length);
            assertEquals(226, client.getReplyCode(), client.getReplyString());
            String[] names = client.listNames();
            assertTrue(names == null || names.length == 0, Arrays.toString(names));
            assertEquals(226, client.getReplyCode(), client.getReplyString());
            assertEquals(0, client.mlistDir().length);
            assertEquals(226, client.getReplyCode(), client.getReplyString());
            assertEquals(Set.of(), Arrays.stream(client.listFiles("-la")).map(FTPFile::getName)
                    .filter(n -> !n.equals(".") && !n.equals("..")).collect(Collectors.toSet()));
            client.disconnect();
        }
    }
}
