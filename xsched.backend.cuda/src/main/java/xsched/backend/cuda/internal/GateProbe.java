package xsched.backend.cuda.internal;

import java.util.Optional;
import xsched.backend.cuda.CudaException;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaMemory;
import xsched.backend.cuda.internal.ffm.CudaNative;
import xsched.backend.cuda.internal.ffm.CudaStreamMemOps;

/**
 * Whether a GPU can run gated queues (level 2): the driver must export the v2 stream memory
 * operations (CUDA 11.7+; since then 32-bit wait and write need no device attribute, unlike the
 * deprecated v1 API's {@code CU_DEVICE_ATTRIBUTE_CAN_USE_STREAM_MEM_OPS_V1}), and a write followed
 * by a wait for it must complete on the device. Run once per GPU when a platform opens.
 */
public final class GateProbe {
    private GateProbe() {
    }

    /**
     * @param context the GPU's primary context, retained; bound here on the calling thread
     * @return why the GPU has no level 2, empty when it has
     */
    public static Optional<String> unsupportedReason(long context) {
        Optional<String> missing = CudaStreamMemOps.unsupportedReason();
        if (missing.isPresent()) {
            return missing;
        }
        long word = 0;
        long stream = 0;
        try {
            CudaDriver.contextSetCurrent(context);
            word = CudaMemory.memAlloc(4);
            stream = CudaDriver.streamCreate(CudaNative.CU_STREAM_NON_BLOCKING, 0);
            CudaStreamMemOps.write(stream, word, 1);
            CudaStreamMemOps.waitAtLeast(stream, word, 1);
            CudaDriver.streamSynchronize(stream);
            return Optional.empty();
        } catch (CudaException | UnsupportedOperationException e) {
            return Optional.of("stream memory operations fail: " + e.getMessage());
        } finally {
            if (stream != 0) {
                CudaDriver.streamDestroy(stream);
            }
            if (word != 0) {
                CudaMemory.memFree(word);
            }
        }
    }
}
