package xsched.run.agent;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Handlers that count each call of an entry point and pass it to the real function: the first
 * handlers the agent installs, which prove the path from the program through the interposer into
 * Java and back. Built from method handles alone, so that one factory serves every signature.
 */
final class Forwarders {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle INCREMENT;

    static {
        try {
            INCREMENT = MethodHandles.dropReturn(MethodHandles.lookup().findVirtual(AtomicLongArray.class, "incrementAndGet",
                    MethodType.methodType(long.class, int.class)));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Forwarders() {
    }

    /**
     * @param table     the interposer's table
     * @param entry     an entry of it
     * @param signature the entry's C signature
     * @param calls     where the entry's calls are counted, at index {@code entry}
     * @return an upcall stub with the entry's signature that counts and forwards
     */
    static MemorySegment counting(Interposer table, int entry, FunctionDescriptor signature, AtomicLongArray calls) {
        // (MemorySegment function, args...) -> result: a call through whatever address is given
        MethodHandle call = LINKER.downcallHandle(signature);
        // the address: the real function as the interposer knows it at the time of the call
        MethodHandle forward = MethodHandles.foldArguments(call, table.realOf(entry));
        MethodHandle count = MethodHandles.insertArguments(INCREMENT, 0, calls, entry);
        return LINKER.upcallStub(MethodHandles.foldArguments(forward, count), signature, Arena.global());
    }
}
