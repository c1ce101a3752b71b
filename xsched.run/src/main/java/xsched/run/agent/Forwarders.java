package xsched.run.agent;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

/**
 * Handlers that pass each call of an entry point to the real function: the first handlers the
 * agent installs, which prove the path from the program through the interposer into Java and back.
 * Built from method handles alone, so that one factory serves every signature.
 */
final class Forwarders {
    private static final Linker LINKER = Linker.nativeLinker();

    private Forwarders() {
    }

    /**
     * @param table     the interposer's table
     * @param entry     an entry of it
     * @param signature the entry's C signature
     * @return an upcall stub with the entry's signature that forwards
     */
    static MemorySegment forwarding(Interposer table, int entry, FunctionDescriptor signature) {
        // (MemorySegment function, args...) -> result: a call through whatever address is given
        MethodHandle call = LINKER.downcallHandle(signature);
        // the address: the real function as the interposer knows it at the time of the call
        MethodHandle forward = MethodHandles.foldArguments(call, table.realOf(entry));
        return LINKER.upcallStub(forward, signature, Arena.global());
    }
}
