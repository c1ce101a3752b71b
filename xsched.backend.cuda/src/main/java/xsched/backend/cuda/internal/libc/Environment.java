package xsched.backend.cuda.internal.libc;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The C library's process environment ({@code getenv}, {@code setenv}), which native libraries
 * such as the CUDA driver read. {@link System#getenv()} is a copy taken when the JVM started and
 * does not see changes made here, nor do changes to it reach native code.
 *
 * <p>{@code setenv} is not thread-safe against concurrent {@code getenv} calls in other native
 * code; call it before starting anything that reads the environment (here: before {@code cuInit}).
 */
public final class Environment {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle GETENV = LINKER.downcallHandle(
            LINKER.defaultLookup().find("getenv").orElseThrow(), FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle SETENV = LINKER.downcallHandle(
            LINKER.defaultLookup().find("setenv").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final long MAX_VALUE = 1 << 16;

    private Environment() {
    }

    /**
     * @param name a variable
     * @return its value in the C library's environment now, empty when unset
     */
    public static Optional<String> get(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = (MemorySegment) GETENV.invokeExact(arena.allocateFrom(name));
            if (value.equals(MemorySegment.NULL)) {
                return Optional.empty();
            }
            return Optional.of(value.reinterpret(MAX_VALUE).getString(0));
        } catch (Throwable t) {
            throw new IllegalStateException("getenv(" + name + ") failed", t);
        }
    }

    /**
     * Sets a variable unless it is already set ({@code setenv(name, value, 0)}).
     *
     * @param name  a variable
     * @param value its value
     * @throws IllegalStateException when {@code setenv} fails
     */
    public static void setIfUnset(String name, String value) {
        int rc;
        try (Arena arena = Arena.ofConfined()) {
            rc = (int) SETENV.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), 0);
        } catch (Throwable t) {
            throw new IllegalStateException("setenv(" + name + ") failed", t);
        }
        if (rc != 0) {
            throw new IllegalStateException("setenv(" + name + ", " + value + ", 0) returned " + rc);
        }
    }
}
