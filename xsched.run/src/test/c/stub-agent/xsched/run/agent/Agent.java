package xsched.run.agent;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stand-in for the real agent, used only by run-tests.sh to exercise the interposer's JNI start
 * and its table: installs one handler, for cuStreamSynchronize, which forwards to the driver.
 * {@code -Dstub.fail=true} makes {@link #start()} throw.
 */
public final class Agent {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor SYNC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    private static final AtomicBoolean HANDLED = new AtomicBoolean();
    private static MethodHandle real;
    private static int entry = -1;

    private Agent() {
    }

    public static void start() throws Throwable {
        System.err.println("stub agent: JVM options " + java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        if (Boolean.getBoolean("stub.fail")) {
            throw new IllegalStateException("stub agent told to fail");
        }
        SymbolLookup table = SymbolLookup.libraryLookup(Path.of(System.getenv("XSCHED_INTERPOSER")), Arena.global());
        MethodHandle count = LINKER.downcallHandle(table.find("xsched_interpose_count").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT));
        MethodHandle name = LINKER.downcallHandle(table.find("xsched_interpose_name").orElseThrow(),
                FunctionDescriptor.of(ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(64, JAVA_BYTE)), JAVA_INT));
        real = LINKER.downcallHandle(table.find("xsched_interpose_real").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, JAVA_INT));
        MethodHandle install = LINKER.downcallHandle(table.find("xsched_interpose_install").orElseThrow(),
                FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS));
        int entries = (int) count.invokeExact();
        for (int i = 0; i < entries; i++) {
            if (((MemorySegment) name.invokeExact(i)).getString(0).equals("cuStreamSynchronize")) {
                entry = i;
            }
        }
        MethodHandle handler = MethodHandles.lookup().findStatic(Agent.class, "streamSynchronize",
                MethodType.methodType(int.class, MemorySegment.class));
        install.invokeExact(entry, LINKER.upcallStub(handler, SYNC, Arena.global()));
        System.err.println("stub agent: started, " + entries + " entries, thread " + Thread.currentThread().getName());
    }

    private static int streamSynchronize(MemorySegment stream) {
        try {
            if (HANDLED.compareAndSet(false, true)) {
                System.err.println("stub agent: handled cuStreamSynchronize");
            }
            MemorySegment driver = (MemorySegment) real.invokeExact(entry);
            return (int) LINKER.downcallHandle(driver, SYNC).invokeExact(stream);
        } catch (Throwable t) {
            return 999;
        }
    }
}
