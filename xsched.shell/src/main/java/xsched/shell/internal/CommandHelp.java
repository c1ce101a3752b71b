package xsched.shell.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.felix.service.command.Descriptor;

/**
 * The text of {@code xsched:help}, read from the {@link Descriptor} annotations of a command class,
 * so that the list cannot drift from the commands: a command is a public method with a
 * {@code @Descriptor}; its syntax is its name followed by the {@code @Descriptor} of its
 * parameter, if it has one.
 */
final class CommandHelp {
    private CommandHelp() {
    }

    /** One command: its name, its one-line syntax and what it does. */
    record Entry(String name, String syntax, String description) {
    }

    static List<Entry> entries(Class<?> commands, String scope) {
        return Arrays.stream(commands.getMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.isAnnotationPresent(Descriptor.class))
                .map(m -> new Entry(m.getName(), syntax(scope, m), m.getAnnotation(Descriptor.class).value()))
                .sorted(Comparator.comparing(Entry::name))
                .toList();
    }

    /** @return every command of {@code commands}: its syntax on one line, what it does on the next */
    static String text(Class<?> commands, String scope) {
        StringBuilder out = new StringBuilder(scope + " commands ('help " + scope + ":<command>' describes one):");
        for (Entry e : entries(commands, scope)) {
            out.append("\n  ").append(e.syntax()).append("\n      ").append(e.description());
        }
        return out.toString();
    }

    private static String syntax(String scope, Method m) {
        StringBuilder s = new StringBuilder(scope).append(':').append(m.getName());
        for (var annotations : m.getParameterAnnotations()) {
            for (var a : annotations) {
                if (a instanceof Descriptor d) {
                    s.append(' ').append(d.value());
                }
            }
        }
        return s.toString();
    }
}
