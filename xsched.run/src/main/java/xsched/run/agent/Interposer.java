package xsched.run.agent;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * The interposer's table, as the library loaded into this process exports it: entry names, their
 * real functions (learned lazily, as the program resolves them), and the slot for a Java handler.
 */
final class Interposer implements AppStreams.Lanes {
    private static final Linker LINKER = Linker.nativeLinker();

    private final MethodHandle count;
    private final MethodHandle name;
    private final MethodHandle real;
    private final MethodHandle install;
    private final MethodHandle markLane;
    private final MethodHandle lane;
    private final MethodHandle freeLane;
    private final SymbolLookup library;

    private Interposer(SymbolLookup library) {
        this.library = library;
        count = LINKER.downcallHandle(find(library, "xsched_interpose_count"), FunctionDescriptor.of(ValueLayout.JAVA_INT));
        name = LINKER.downcallHandle(find(library, "xsched_interpose_name"),
                FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(java.lang.foreign.MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)),
                        ValueLayout.JAVA_INT));
        real = LINKER.downcallHandle(find(library, "xsched_interpose_real"), FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        install = LINKER.downcallHandle(find(library, "xsched_interpose_install"),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        markLane = LINKER.downcallHandle(find(library, "xsched_interpose_lane_entry"),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        lane = LINKER.downcallHandle(find(library, "xsched_interpose_lane"), FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        freeLane = LINKER.downcallHandle(find(library, "xsched_interpose_lane_free"), FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));
    }

    /**
     * @param library the interposer's path (the one LD_PRELOAD loaded: the same handle is returned)
     * @return its table
     * @throws IllegalArgumentException when the library cannot be loaded or lacks the table
     */
    static Interposer at(Path library) {
        return new Interposer(SymbolLookup.libraryLookup(library, Arena.global()));
    }

    private static MemorySegment find(SymbolLookup library, String symbol) {
        return library.find(symbol).orElseThrow(() -> new IllegalArgumentException("the interposer has no '" + symbol + "'"));
    }

    /**
     * @param symbol a function the interposer exports besides its table (e.g. {@code xsched_nop_launch_kernel})
     * @return its address
     * @throws IllegalArgumentException when the library has no such symbol
     */
    MemorySegment function(String symbol) {
        return find(library, symbol);
    }

    int entries() {
        try {
            return (int) count.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    String name(int entry) {
        try {
            return ((MemorySegment) name.invokeExact(entry)).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** @return the real function of an entry now, or NULL while the program has not resolved it */
    MemorySegment real(int entry) {
        try {
            return (MemorySegment) real.invokeExact(entry);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Lets entry's calls take their stream's direct lane ({@code xsched_interpose_lane_entry}). */
    void markLane(int entry) {
        try {
            markLane.invokeExact(entry, 1);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * @param stream an application stream (0: the legacy NULL stream)
     * @return its lane's two words, the credits and the launches made, the stream's until {@link
     *         #free freed} (their memory stays valid for the life of the process); {@link
     *         MemorySegment#NULL} when it gets none (the interposer's table of lanes is full)
     */
    @Override
    public MemorySegment creditsOf(long stream) {
        try {
            return (MemorySegment) lane.invokeExact(stream);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void free(long stream) {
        try {
            freeLane.invokeExact(stream);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    void install(int entry, MemorySegment handler) {
        try {
            install.invokeExact(entry, handler);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
