import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * A Java program using the (fake) driver through FFM, for run-tests.sh: under the interposer its
 * first cuStreamSynchronize makes the agent attach to this JVM instead of creating one.
 * Usage: java StubProgram PATH_TO_libcuda.so.1
 */
public final class StubProgram {
    public static void main(String[] args) throws Throwable {
        Linker linker = Linker.nativeLinker();
        SymbolLookup cuda = SymbolLookup.libraryLookup(Path.of(args[0]), Arena.global());
        MethodHandle sync = linker.downcallHandle(cuda.find("cuStreamSynchronize").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle calls = linker.downcallHandle(cuda.find("fake_calls").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        int rc1 = (int) sync.invokeExact(MemorySegment.NULL);
        int rc2 = (int) sync.invokeExact(MemorySegment.NULL);
        int reached;
        try (Arena arena = Arena.ofConfined()) {
            reached = (int) calls.invokeExact(arena.allocateFrom("cuStreamSynchronize"));
        }
        System.out.println("stub program: rc " + rc1 + "/" + rc2 + ", cuStreamSynchronize reached the driver "
                + reached + " times");
        System.exit(rc1 == 0 && rc2 == 0 && reached == 2 ? 0 : 1);
    }
}
