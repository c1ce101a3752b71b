package xsched.karaf.compat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The real Karaf jars the tests check {@link KarafTargets} against, from the folder named by
 * the system property {@value #PROPERTY}: the build sets it to {@code target/karaf-jars}, where
 * the Karaf bundles this module depends on in test scope are copied; pass
 * {@code -Dxsched.karaf.home=<unpacked Karaf>} to check a whole distribution (its
 * {@code system/} folder) instead. Any folder is walked recursively for {@code .jar} files.
 */
final class KarafJars {
    static final String PROPERTY = "xsched.karaf.home";

    /** One jar: its bundle symbolic name (the path if it has none), version and class names. */
    record Jar(Path path, String symbolicName, String version, Set<String> classNames) {
        /** The entry paths of its classes, as {@code Bundle.getEntry} takes them. */
        Set<String> classEntries() {
            return classNames.stream().map(ExpectedTargetCheck::entryOf).collect(Collectors.toSet());
        }

        /** The class file of one class. */
        byte[] bytes(String className) {
            try (JarFile file = new JarFile(path.toFile())) {
                JarEntry entry = file.getJarEntry(ExpectedTargetCheck.entryOf(className));
                assertThat(entry).as(className + " in " + path).isNotNull();
                try (InputStream in = file.getInputStream(entry)) {
                    return in.readAllBytes();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Hands every class to the consumer, reading one at a time. */
        void forEachClass(BiConsumer<String, byte[]> consumer) {
            try (JarFile file = new JarFile(path.toFile())) {
                for (JarEntry entry : Collections.list(file.entries())) {
                    String className = classNameOf(entry);
                    if (className != null) {
                        try (InputStream in = file.getInputStream(entry)) {
                            consumer.accept(className, in.readAllBytes());
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private KarafJars() {
    }

    /** The folder to scan; skips the test if the property is not set (e.g. run from an IDE). */
    static Path home() {
        String home = System.getProperty(PROPERTY, "");
        assumeTrue(!home.isBlank(), "set -D" + PROPERTY + " to a folder of Karaf jars or an unpacked Karaf");
        return Path.of(home);
    }

    /** Every jar under the folder (under {@code system/} for a distribution); fails if there is none. */
    static List<Jar> load(Path home) {
        Path root = Files.isDirectory(home.resolve("system")) ? home.resolve("system") : home;
        assertThat(root).as("-D" + PROPERTY).isDirectory();
        List<Path> paths;
        try (Stream<Path> files = Files.walk(root)) {
            paths = files.filter(f -> f.toString().endsWith(".jar") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(paths).as("jars under " + root + " (-D" + PROPERTY + ")").isNotEmpty();
        List<Jar> jars = new ArrayList<>();
        for (Path path : paths) {
            jars.add(read(path));
        }
        return jars;
    }

    private static Jar read(Path path) {
        try (JarFile file = new JarFile(path.toFile())) {
            Manifest manifest = file.getManifest();
            String bsn = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            String version = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-Version");
            Set<String> classNames = new TreeSet<>();
            for (JarEntry entry : Collections.list(file.entries())) {
                String className = classNameOf(entry);
                if (className != null) {
                    classNames.add(className);
                }
            }
            return new Jar(path, bsn == null ? path.toString() : bsn.split(";")[0].trim(), version, classNames);
        } catch (IOException e) {
            throw new UncheckedIOException(path.toString(), e);
        }
    }

    private static String classNameOf(JarEntry entry) {
        String name = entry.getName();
        if (!name.endsWith(".class") || name.endsWith("module-info.class")) {
            return null;
        }
        return name.substring(0, name.length() - ".class".length()).replace('/', '.');
    }
}
