package dev.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.server.config.CoreDirectives;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dist/ferry.service and the Containerfile against the repository: what they start exists, the
 * reload and stop settings match what ferry does, and systemd itself accepts the unit.
 */
class PackagingTest {

    // Surefire runs in the server module's directory; the project's top is one up.
    private static final Path TOP = Path.of("..").toAbsolutePath().normalize();
    private static final Path UNIT = TOP.resolve("dist/ferry.service");
    private static final Path CONTAINERFILE = TOP.resolve("Containerfile");
    /** Where the unit and the Containerfile install the project's bin/ and lib/. */
    private static final String PREFIX = "/opt/ferry/";

    @TempDir
    Path tempDir;

    private static List<String> unit() throws Exception {
        return Files.readAllLines(UNIT, StandardCharsets.UTF_8);
    }

    /** The value of the first uncommented {@code key=} line. */
    private static Optional<String> setting(List<String> lines, String key) {
        return lines.stream().filter(line -> line.startsWith(key + "=")).findFirst()
                .map(line -> line.substring(key.length() + 1));
    }

    @Test
    void theUnitStartsBinFerryAndStopsAfterTheGracePeriod() throws Exception {
        List<String> unit = unit();
        String start = setting(unit, "ExecStart").orElseThrow();
        assertTrue(start.startsWith(PREFIX + "bin/ferry -c "), start);
        assertTrue(Files.isExecutable(TOP.resolve("bin/ferry")), "bin/ferry in the repository");
        assertEquals(Optional.of("/bin/kill -HUP $MAINPID"), setting(unit, "ExecReload"));
        assertEquals(Optional.of("SIGTERM"), setting(unit, "KillSignal"));
        long timeout = Long.parseLong(setting(unit, "TimeoutStopSec").orElseThrow());
        long grace = CoreDirectives.STOP_GRACE_PERIOD.defaultValue().toSeconds();
        assertTrue(timeout > grace + 5, "TimeoutStopSec=" + timeout + " leaves no time after a " + grace
                + " s grace period and the aborts that follow it");
        assertEquals(Optional.empty(), setting(unit, "MemoryDenyWriteExecute"), "the JIT needs W+X memory");
        assertEquals(Optional.of("CAP_NET_BIND_SERVICE"), setting(unit, "CapabilityBoundingSet"));
    }

    @Test
    void systemdAcceptsTheUnit() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "no systemd-analyze");
        // verify checks that ExecStart is executable: point it at the repository's bin/ferry
        String text = Files.readString(UNIT, StandardCharsets.UTF_8)
                .replace(PREFIX + "bin/ferry", TOP.resolve("bin/ferry").toString());
        Path copy = Files.writeString(tempDir.resolve("ferry.service"), text);
        Process verify = new ProcessBuilder(analyze.toString(), "verify", "--man=no", copy.toString())
                .redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(verify.waitFor(60, TimeUnit.SECONDS), "systemd-analyze verify did not finish");
        assertEquals(0, verify.exitValue(), output);
        // an unknown or misspelt key is only a warning: no output at all is the bar
        assertEquals("", output.strip());
    }

    @Test
    void theContainerfileBuildsEveryModuleAndInstallsWhatBinFerryLooksFor() throws Exception {
        String containerfile = Files.readString(CONTAINERFILE, StandardCharsets.UTF_8);
        Matcher modules = Pattern.compile("<module>([^<]+)</module>")
                .matcher(Files.readString(TOP.resolve("pom.xml"), StandardCharsets.UTF_8));
        int count = 0;
        while (modules.find()) {
            count++;
            String module = modules.group(1);
            assertTrue(containerfile.contains("COPY " + module + " " + module), "the build stage needs " + module);
        }
        assertTrue(count > 0, "no modules in pom.xml");
        assertTrue(containerfile.contains("COPY --from=build /src/bin/ferry " + PREFIX + "bin/ferry"));
        assertTrue(containerfile.contains("COPY --from=build /src/server/target/ferry.jar " + PREFIX + "lib/ferry.jar"));
        assertTrue(Files.readString(TOP.resolve("bin/ferry"), StandardCharsets.UTF_8).contains("$here/lib/ferry.jar"),
                "bin/ferry looks for PREFIX/lib/ferry.jar");
        assertTrue(containerfile.contains("ENTRYPOINT [\"" + PREFIX + "bin/ferry\""), "exec form: java is PID 1");
        assertTrue(Pattern.compile("(?m)^USER ferry$").matcher(containerfile).find(), "not root");
        assertFalse(containerfile.contains("USER root"));
    }
}
