package dev.ferry.server.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Users an operator's own program decides on ({@code auth_program}), like pure-ftpd's extauth and
 * SFTPGo's external authentication. Ferry runs the program once per login, without arguments,
 * and writes two lines to its standard input: the name, then the password (never argv or the
 * environment, which other local users can read in /proc). The program answers on its standard
 * output:
 * <pre>
 * ok                          first line: the login is accepted
 * home=/srv/ftp/alice         optional: the home directory (as in users_file)
 * groups=staff,uploads        optional: groups for the access rules
 * directive=write_enable=YES  optional, repeatable: a per-user directive, as in user_config_dir
 * </pre>
 * or {@code no} (or exit status 1, checkpassword's "bad password") to refuse. Anything else (no
 * answer within {@code auth_program_timeout}, another exit status, unknown lines, more than 64 KiB,
 * bytes that are not UTF-8) is the program's fault, not the user's: the login is
 * {@link LoginResult.Unavailable} (421, logged). At most {@code auth_program_max} run at once; a
 * login that finds none free within the timeout is unavailable too.
 */
final class ProgramAccounts implements LoginSource {

    /** The most the program may print: an answer is a few lines. */
    static final int MAX_OUTPUT = 64 * 1024;

    /** Drains the program's output while the session waits for the exit with a timeout. */
    private static final ExecutorService READERS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("ferry-auth-program-output").factory());

    private final Path program;
    private final Duration timeout;
    private final Semaphore slots;

    ProgramAccounts(Path program, Duration timeout, int max) {
        this.program = program;
        this.timeout = timeout;
        // one bound per server configuration (LoginSources lives in the ServerContext): a reload
        // starts a fresh count, while programs started under the old one finish on their own
        this.slots = new Semaphore(max, true);
    }

    @Override
    public LoginResult check(String name, String password) {
        if (name.isEmpty() || name.chars().anyMatch(Character::isISOControl)
                || password.chars().anyMatch(c -> c == '\n' || c == '\r')) {
            // one line each on stdin: a line break would let a name or password forge the other
            return LoginResult.REFUSED;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!slots.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return new LoginResult.Unavailable("auth_program: all " + "slots busy for " + timeout.toSeconds()
                        + " s (auth_program_max)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LoginResult.Unavailable("interrupted while waiting for auth_program");
        }
        try {
            return run(name, password, deadline);
        } finally {
            slots.release();
        }
    }

    private LoginResult run(String name, String password, long deadline) {
        Process process;
        try {
            process = new ProcessBuilder(program.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            return new LoginResult.Unavailable("auth_program " + program + " cannot run: " + e.getMessage());
        }
        try {
            Future<byte[]> output = READERS.submit(() -> {
                try (InputStream out = process.getInputStream()) {
                    return out.readNBytes(MAX_OUTPUT + 1);
                }
            });
            try (OutputStream in = process.getOutputStream()) {
                in.write((name + "\n" + password + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the program exited or closed its input without reading: its answer still counts
            }
            long left = deadline - System.nanoTime();
            if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                return new LoginResult.Unavailable("auth_program " + program + " did not answer within "
                        + timeout.toSeconds() + " s");
            }
            byte[] bytes;
            try {
                bytes = output.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return new LoginResult.Unavailable("auth_program " + program
                        + " exited but something it started keeps its output open");
            } catch (ExecutionException e) {
                return new LoginResult.Unavailable("auth_program " + program + ": cannot read its answer: "
                        + e.getCause());
            }
            return answer(name, process.exitValue(), bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LoginResult.Unavailable("interrupted while waiting for auth_program");
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Reads the program's answer; see the class comment. */
    LoginResult answer(String name, int status, byte[] bytes) {
        String where = "auth_program " + program;
        if (bytes.length > MAX_OUTPUT) {
            return new LoginResult.Unavailable(where + " printed more than " + MAX_OUTPUT + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new LoginResult.Unavailable(where + " printed bytes that are not UTF-8");
        }
        List<String> lines = text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        String verdict = lines.isEmpty() ? "" : lines.getFirst();
        if (status == 1 || (status == 0 && verdict.equals("no"))) {
            return LoginResult.REFUSED;
        }
        if (status != 0) {
            return new LoginResult.Unavailable(where + " exited with status " + status);
        }
        if (!verdict.equals("ok")) {
            return new LoginResult.Unavailable(where + " answered neither ok nor no");
        }
        String home = "";
        List<String> groups = List.of();
        List<String> directives = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            int equals = line.indexOf('=');
            String key = equals < 0 ? line : line.substring(0, equals);
            String value = equals < 0 ? "" : line.substring(equals + 1);
            switch (key) {
                case "home" -> home = value;
                case "groups" -> {
                    groups = value.isEmpty() ? List.of() : List.of(value.split(",", -1)).stream().map(String::strip).toList();
                    if (groups.contains("")) {
                        return new LoginResult.Unavailable(where + " answered an empty group name");
                    }
                }
                case "directive" -> {
                    if (!value.contains("=")) {
                        return new LoginResult.Unavailable(where + " answered a directive without '='");
                    }
                    directives.add(value);
                }
                default -> {
                    // names only the key: a line could hold what the program should not have printed
                    return new LoginResult.Unavailable(where + " answered an unknown line '" + printable(key) + "'");
                }
            }
        }
        return new LoginResult.Accepted(new User(name, home, groups, directives));
    }

    private static String printable(String text) {
        String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
