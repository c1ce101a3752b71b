package xsched.backend.cuda.internal.green;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.DeviceBuffer;

/** The output of {@link BlockSmKernel}: a buffer of one SM id per block, and the set of SMs it shows. */
final class BlockSms {
    private BlockSms() {
    }

    /**
     * @param gpu     the GPU
     * @param ints    the buffer's length, one per block
     * @param cleanup where the buffer is added, to be closed by the test
     * @return a buffer filled with -1 ("the block never ran")
     */
    static DeviceBuffer unset(CudaGpu gpu, int ints, List<AutoCloseable> cleanup) {
        DeviceBuffer buffer = gpu.allocate(4L * ints);
        cleanup.add(buffer);
        int[] unset = new int[ints];
        Arrays.fill(unset, -1);
        buffer.upload(unset);
        return buffer;
    }

    /** @return the SMs the blocks ran on; asserts every block ran (wrote its SM id over the -1) */
    static Set<Integer> of(DeviceBuffer out, int blocks) {
        int[] ids = new int[blocks];
        out.download(ids);
        Set<Integer> sms = new TreeSet<>();
        for (int i = 0; i < blocks; i++) {
            assertThat(ids[i]).as("SM id of block %d (-1: the block never ran)", i).isNotNegative();
            sms.add(ids[i]);
        }
        return sms;
    }
}
