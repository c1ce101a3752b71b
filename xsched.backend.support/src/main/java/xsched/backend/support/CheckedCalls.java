package xsched.backend.support;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * One vendor API's status codes turned into exceptions: which code is success, how a failure
 * becomes the vendor's exception (naming the function and the code), and the common shapes of a
 * checked downcall, each in one line at the call site. A facade ({@code HipRuntime}, {@code
 * LevelZero}, {@code OpenCl}) keeps one instance in a {@code static final} field and passes the
 * downcall as a lambda over its own {@code static final} method handle, so the handle stays a
 * constant the JIT can inline.
 *
 * <p>{@link #check(int, String)} allocates nothing on success; the out-parameter shapes allocate
 * their scratch in a per-call confined arena.
 */
public final class CheckedCalls {
    /** Makes the exception for a failed call. */
    @FunctionalInterface
    public interface Failure {
        /**
         * @param rc       the status the function returned
         * @param function the function's native name
         * @param detail   extra context, or {@code null}
         * @return the exception to throw
         */
        RuntimeException error(int rc, String function, String detail);
    }

    /** A downcall returning a status code. */
    @FunctionalInterface
    public interface Call {
        /** @return the status code */
        int invoke() throws Throwable;
    }

    /** A downcall returning a status code and writing its result through one out-parameter. */
    @FunctionalInterface
    public interface OutCall {
        /** @param out where the function writes its result @return the status code */
        int invoke(MemorySegment out) throws Throwable;
    }

    private final String api;
    private final int success;
    private final Failure failure;

    /**
     * @param api     the API's name, for the rare checked exception out of a downcall ("CUDA")
     * @param success the status code of success
     * @param failure makes the exception for any other code
     */
    public CheckedCalls(String api, int success, Failure failure) {
        this.api = Objects.requireNonNull(api, "api");
        this.success = success;
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    /**
     * Throws unless {@code rc} is success.
     *
     * @param rc       a status code
     * @param function the function that returned it
     */
    public void check(int rc, String function) {
        if (rc != success) {
            throw failure.error(rc, function, null);
        }
    }

    /** @return the exception for {@code rc} returned by {@code function}, with {@code detail} or {@code null} */
    public RuntimeException error(int rc, String function, String detail) {
        return failure.error(rc, function, detail);
    }

    /**
     * What a {@code catch (Throwable t)} around a downcall throws: a runtime exception as it is, an
     * error thrown on at once, anything else (a downcall declares no checked exception) wrapped.
     *
     * @param t what the downcall threw
     * @return the exception to throw
     */
    public RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a " + api + " downcall", t);
    }

    /** Makes the call and checks its status. */
    public void call(Call call, String function) {
        int rc;
        try {
            rc = call.invoke();
        } catch (Throwable t) {
            throw rethrow(t);
        }
        check(rc, function);
    }

    /** @return the call's status, unchecked: the caller says what each code means */
    public int status(Call call) {
        try {
            return call.invoke();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return the {@code int} the call wrote, once its status was checked */
    public int intOut(OutCall call, String function) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check(invoke(call, out), function);
            return out.get(JAVA_INT, 0);
        }
    }

    /** @return the 64-bit value (a handle, a pointer, a size) the call wrote, once its status was checked */
    public long longOut(OutCall call, String function) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            check(invoke(call, out), function);
            return out.get(JAVA_LONG, 0);
        }
    }

    private int invoke(OutCall call, MemorySegment out) {
        try {
            return call.invoke(out);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
