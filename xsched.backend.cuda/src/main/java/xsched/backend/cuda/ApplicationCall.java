package xsched.backend.cuda;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import xsched.backend.cuda.internal.LaunchScratch;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaStreamContexts;

/**
 * A driver call an application made on one of its own streams, which xsched launches for it:
 * {@code xsched run} turns each intercepted kernel launch, graph launch, copy or memset into one
 * and submits it to the XQueue over that stream ({@link xsched.backend.cuda.embed.AdoptedStreams}).
 * Launching the command makes the call, with the application's arguments, exactly as the
 * application would have; its {@code CUresult} is kept for the application ({@link #result()}).
 * A code other than {@code CUDA_SUCCESS} also fails the command.
 *
 * <p>The call's arguments are the application's memory: the thread that built the command (the
 * application's, inside the intercepted call) must wait until it is launched, which {@link
 * #result()} and the unpark of that thread on launch make cheap.
 */
public final class ApplicationCall extends CudaCommand {
    /** {@link #result()} of a call not launched (yet). */
    public static final int NOT_LAUNCHED = Integer.MIN_VALUE;
    private static final int CUDA_ERROR_UNKNOWN = 999;
    /** Whether the thread has built an application call: an application's thread, whose CUDA settings xsched leaves alone. */
    private static final ThreadLocal<Boolean> APPLICATION_THREAD = ThreadLocal.withInitial(() -> false);
    /** An application thread's own current context while xsched's launch bound another one; {@link #NOTHING_SAVED} if none. */
    private static final long NOTHING_SAVED = -1;
    private static final ThreadLocal<long[]> SAVED_CONTEXT = ThreadLocal.withInitial(() -> new long[] {NOTHING_SAVED});

    private final long stream;
    private final String function;
    private final IntSupplier call;
    private final Thread waiter = Thread.currentThread();
    private volatile int result = NOT_LAUNCHED;

    /**
     * @param gpu      the GPU whose primary context the stream belongs to
     * @param stream   the application's {@code CUstream} (0: the legacy NULL stream)
     * @param function the driver function's name, for messages
     * @param call     makes the call with the real driver function and returns its {@code CUresult}
     */
    public ApplicationCall(CudaGpu gpu, long stream, String function, IntSupplier call) {
        super(gpu);
        this.stream = stream;
        this.function = Objects.requireNonNull(function, "function");
        this.call = Objects.requireNonNull(call, "call");
        markApplicationThread();
    }

    /**
     * Marks the calling thread as an application's (an intercepted call is running on it): xsched
     * then leaves its stream capture mode alone and gives back its own current context after binding
     * the GPU's ({@link #restoreApplicationContext()}). Cheap after the first time.
     */
    public static void markApplicationThread() {
        if (!APPLICATION_THREAD.get()) {
            APPLICATION_THREAD.set(true);
        }
    }

    /** @return whether the calling thread is an application's (it built an application call) */
    static boolean onApplicationThread() {
        return APPLICATION_THREAD.get();
    }

    /**
     * Makes {@code context} current on an application's thread, remembering the thread's own current
     * context when it was another one, for {@link #restoreApplicationContext()}.
     */
    static void bindOnApplicationThread(long context) {
        long current = CudaStreamContexts.current();
        if (current != context) {
            long[] saved = SAVED_CONTEXT.get();
            if (saved[0] == NOTHING_SAVED) {
                saved[0] = current;
            }
            CudaDriver.contextSetCurrent(context);
        }
    }

    /**
     * On an application's thread, after its call was launched: makes its own current context
     * current again if launching the call bound another one (the GPU's primary context). Cheap
     * when nothing was changed, which is the rule (the CUDA runtime uses the primary context).
     */
    public static void restoreApplicationContext() {
        long[] saved = SAVED_CONTEXT.get();
        if (saved[0] != NOTHING_SAVED) {
            long context = saved[0];
            saved[0] = NOTHING_SAVED;
            CudaDriver.contextSetCurrent(context);
        }
    }

    /** @return the application's stream */
    public long stream() {
        return stream;
    }

    /** @return the call's {@code CUresult} once launched, {@link #NOT_LAUNCHED} before */
    public int result() {
        return result;
    }

    @Override
    void checkResources() {
        // the application's own objects: the driver checks them when the call is made
    }

    @Override
    void enqueue(long queueStream, LaunchScratch scratch) {
        if (queueStream != stream) {
            throw new IllegalArgumentException(describe() + " belongs to stream 0x" + Long.toHexString(stream)
                    + ", not to this queue's stream 0x" + Long.toHexString(queueStream));
        }
        int rc = CUDA_ERROR_UNKNOWN;
        try {
            rc = call.getAsInt();
        } finally {
            result = rc;
            if (waiter != Thread.currentThread()) {
                LockSupport.unpark(waiter); // launched by the queue's worker: the waiting thread goes on
            }
        }
        if (rc != 0) {
            throw CudaDriver.error(rc, function, "the application's call, made by xsched");
        }
    }

    @Override
    public String describe() {
        return function + " on stream 0x" + Long.toHexString(stream);
    }
}
