package xsched.daemon.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A JVM child process driven line by line: {@link #ask} sends a command and returns the first
 * answer line. Waits are bounded only to fail a hung test, never to assert timing.
 */
final class Child implements AutoCloseable {
    static final long PATIENCE_SECONDS = 120;
    private static final String NOBODY = "65534";

    private final Process process;
    private final PrintWriter in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final String label;

    private Child(Process process, String label) {
        this.process = process;
        this.label = label;
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("child-" + label).start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
            lines.add("<eof>");
        });
    }

    /** Starts a main class of the test class path in a new JVM, as this user. */
    static Child start(String label, Path logs, Class<?> main, String... args) throws IOException {
        return start(label, logs, classPath(), List.of(), main, args);
    }

    /**
     * Starts a main class as user nobody (this process must be root): the class path is copied to
     * a directory nobody can read, as root's Maven repository may not be.
     */
    static Child startAsNobody(String label, Path logs, Path scratch, Class<?> main, String... args) throws IOException {
        Path copy = Files.createDirectories(scratch.resolve("cp"));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : classPath().split(java.io.File.pathSeparator)) {
            Path from = Path.of(entry);
            if (!Files.exists(from)) {
                continue;
            }
            Path to = copy.resolve((i++) + "-" + from.getFileName());
            copyTree(from, to);
            entries.add(to.toString());
        }
        openUp(scratch);
        return start(label, logs, String.join(java.io.File.pathSeparator, entries),
                List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"), main, args);
    }

    private static Child start(String label, Path logs, String classPath, List<String> prefix, Class<?> main, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        command.add("-cp");
        command.add(classPath);
        command.add(main.getName());
        command.addAll(List.of(args));
        Files.createDirectories(logs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(logs.resolve(label + ".log").toFile());
        builder.environment().remove("XSCHED_SOCKET");
        return new Child(builder.start(), label);
    }

    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (Files.isDirectory(from)) {
            try (Stream<Path> all = Files.walk(from)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes a tree readable (and directories enterable) by everyone. */
    static void openUp(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    long pid() {
        return process.pid();
    }

    /** Sends a command and returns the next line of output. */
    String ask(String command) throws InterruptedException {
        in.println(command);
        return next();
    }

    /** @return the next line of output */
    String next() throws InterruptedException {
        String line = lines.poll(PATIENCE_SECONDS, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError(label + " said nothing for " + PATIENCE_SECONDS + " s");
        }
        if (line.equals("<eof>")) {
            lines.add(line);
            throw new AssertionError(label + " ended (exit " + exitValue() + "); see its log");
        }
        return line;
    }

    private String exitValue() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    /** Kills the process with SIGKILL and waits for it to end. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            in.println("exit");
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS);
            }
        }
    }
}
