package xsched.backend.hip.internal.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import xsched.backend.support.VendorLibrary;

/**
 * Downcall handles bound against one library, all at once, remembering every symbol asked for and
 * those the library lacks. A missing symbol (every symbol, when the library is absent) gets a
 * handle that throws {@link UnsupportedOperationException} naming it and the reason, so binding
 * never fails; {@link #missing()} lets the caller refuse to start instead of failing mid-run.
 */
final class Bindings {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MISSING;

    static {
        try {
            MISSING = MethodHandles.lookup().findStatic(Bindings.class, "missing",
                    MethodType.methodType(Object.class, String.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final VendorLibrary library;
    private final String needs;
    private final List<String> symbols = new ArrayList<>();
    private final List<String> missing = new ArrayList<>();

    /**
     * @param library the library to bind against, present or not
     * @param needs   what a missing symbol means, e.g. "this backend needs ROCm 5.2 or later"
     */
    Bindings(VendorLibrary library, String needs) {
        this.library = Objects.requireNonNull(library, "library");
        this.needs = Objects.requireNonNull(needs, "needs");
    }

    /** @return a handle for {@code symbol}, or one that throws naming it */
    MethodHandle bind(String symbol, FunctionDescriptor descriptor) {
        symbols.add(symbol);
        Optional<MemorySegment> address = library.find(symbol);
        if (address.isPresent()) {
            return LINKER.downcallHandle(address.get(), descriptor);
        }
        missing.add(symbol);
        String why = library.absentReason().orElse(library.source().orElse("the library") + " does not export " + symbol
                + "; " + needs);
        MethodType type = descriptor.toMethodType();
        MethodHandle thrower = MethodHandles.insertArguments(MISSING, 0, symbol, why)
                .asType(MethodType.methodType(type.returnType()));
        return MethodHandles.dropArguments(thrower, 0, type.parameterList());
    }

    /** @return every symbol bound, in order */
    List<String> symbols() {
        return List.copyOf(symbols);
    }

    /** @return the symbols the library lacks (all of them when it is absent) */
    List<String> missing() {
        return List.copyOf(missing);
    }

    /** @return the library bound against */
    VendorLibrary library() {
        return library;
    }

    private static Object missing(String symbol, String why) {
        throw new UnsupportedOperationException(symbol + ": " + why);
    }
}
