package xsched.karaf.compat.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Java sources compiled at a chosen release, as class files by binary name. */
final class CompiledClasses {
    private CompiledClasses() {
    }

    /**
     * Compiles the sources.
     *
     * @param work a scratch directory
     * @param release the {@code --release} to compile for
     * @param sources source text by binary name of its top-level class
     * @return every class file produced, nested and anonymous classes included
     */
    static Map<String, byte[]> compile(Path work, int release, Map<String, String> sources) {
        try {
            Path src = Files.createTempDirectory(work, "src");
            Path out = Files.createTempDirectory(work, "out");
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            StringWriter diagnostics = new StringWriter();
            List<String> options = List.of(
                    "--release", String.valueOf(release), "-Xlint:-options", "-nowarn", "-d", out.toString());
            List<Path> sourceFiles;
            try (Stream<Path> walk = Files.walk(src)) {
                sourceFiles = walk.filter(f -> f.toString().endsWith(".java")).toList();
            }
            boolean ok;
            try (StandardJavaFileManager fileManager = javac.getStandardFileManager(null, null, null)) {
                ok = javac.getTask(diagnostics, fileManager, null, options, null,
                        fileManager.getJavaFileObjectsFromPaths(sourceFiles)).call();
            }
            if (!ok) {
                throw new IllegalStateException("javac --release " + release + " failed:\n" + diagnostics);
            }
            Map<String, byte[]> classes = new TreeMap<>();
            try (Stream<Path> files = Files.walk(out)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    String name = out.relativize(f).toString().replace(java.io.File.separatorChar, '.');
                    classes.put(name.substring(0, name.length() - ".class".length()), Files.readAllBytes(f));
                }
            }
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
