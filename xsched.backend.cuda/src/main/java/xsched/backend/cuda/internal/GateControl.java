package xsched.backend.cuda.internal;

import java.util.HashMap;
import java.util.Map;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaNative;
import xsched.backend.cuda.internal.ffm.CudaStreamMemOps;

/**
 * What the gated queues of one CUDA context share: the control stream that writes their gate words
 * (non-blocking, at the context's most urgent priority, so a write is not queued behind the
 * queues' own work) and the context's {@link GateBudget}. One per context in the process, made by
 * the first gated queue and destroyed with the last; the budget is kept for the life of the
 * process (it counts fallbacks), so several backends over one context share it. Writes are
 * serialized.
 */
final class GateControl {
    private static final Map<Long, GateControl> OPEN = new HashMap<>();
    private static final Map<Long, GateBudget> BUDGETS = new HashMap<>();

    private final long context;
    private final long stream;
    private final GateBudget budget;
    private int users;

    private GateControl(long context, long stream, GateBudget budget) {
        this.context = context;
        this.stream = stream;
        this.budget = budget;
    }

    /**
     * The context's control, made on first use; the caller has bound {@code context} and must
     * {@link #release()} it.
     *
     * @param context     a {@code CUcontext}
     * @param connections its hardware connections ({@link DeviceConnections#ensure()})
     * @return the context's control
     */
    static GateControl acquire(long context, int connections) {
        synchronized (OPEN) {
            GateControl control = OPEN.get(context);
            if (control == null) {
                int[] range = CudaDriver.streamPriorityRange();
                long stream = CudaDriver.streamCreate(CudaNative.CU_STREAM_NON_BLOCKING, range[1]);
                control = new GateControl(context, stream, budget(context, connections));
                OPEN.put(context, control);
            }
            control.users++;
            return control;
        }
    }

    /**
     * @param context     a {@code CUcontext}
     * @param connections its hardware connections, used when it has no budget yet
     * @return its budget, shared by all of its gated queues
     */
    static GateBudget budget(long context, int connections) {
        synchronized (OPEN) {
            return BUDGETS.computeIfAbsent(context, c -> new GateBudget(connections));
        }
    }

    /** @return the budget of this context */
    GateBudget budget() {
        return budget;
    }

    /**
     * Closes or opens a gate and waits until the write has landed: after it returns, a gate
     * evaluated on the device sees {@code value}. The caller has bound the context.
     *
     * @param gate  the gate word's address
     * @param value 0 closed, 1 open
     */
    void writeAndWait(long gate, int value) {
        synchronized (this) {
            CudaStreamMemOps.write(stream, gate, value);
            CudaDriver.streamSynchronize(stream);
        }
    }

    /**
     * Opens or closes a gate without waiting for the write to land. The caller has bound the context.
     *
     * @param gate  the gate word's address
     * @param value 0 closed, 1 open
     */
    void write(long gate, int value) {
        synchronized (this) {
            CudaStreamMemOps.write(stream, gate, value);
        }
    }

    /** One user fewer; the last destroys the stream (the caller has bound the context). */
    void release() {
        synchronized (OPEN) {
            if (--users > 0) {
                return;
            }
            OPEN.remove(context);
        }
        synchronized (this) {
            CudaDriver.streamSynchronize(stream);
            CudaDriver.streamDestroy(stream);
        }
    }
}
