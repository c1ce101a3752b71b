package xsched.backend.hip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import xsched.api.Outcome;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.hip.embed.HipBackends;
import xsched.core.embed.EmbeddedXsched;
import xsched.spi.hal.Backend;

/** Real kernels and copies through xsched queues on the first AMD GPU, checked on the host; skipped without one. */
@Tag("gpu")
class XschedOnHipTest {
    private HipDevice device;
    private HipModule kernels;
    private Backend backend;
    private EmbeddedXsched xsched;

    @BeforeEach
    void open() {
        device = Gpus.first();
        kernels = Gpus.kernels(device);
        backend = HipBackends.over(Gpus.platform());
        xsched = EmbeddedXsched.builder().manualScheduling().backend(backend).build();
    }

    @AfterEach
    void close() throws Exception {
        if (xsched != null) {
            xsched.close();
            ((AutoCloseable) backend).close();
            kernels.close();
        }
    }

    @Test
    void addsVectorsThroughAnXQueue() throws Exception {
        int n = 100_000;
        Random r = new Random(1);
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat();
            b[i] = r.nextFloat();
        }
        try (HipBuffer da = device.buffer(4L * n); HipBuffer db = device.buffer(4L * n); HipBuffer dc = device.buffer(4L * n)) {
            XQueue q = xsched.createQueue(device.id(), QueueOptions.defaults().withName("vadd"));
            q.submit(MemoryCopy.hostToDevice(a, da, 0));
            q.submit(MemoryCopy.hostToDevice(b, db, 0));
            q.submit(kernels.kernel("vadd").launch(Dim3.covering(n, 256), Dim3.of(256), da, db, dc, n));
            MemoryCopy read = MemoryCopy.deviceToHost(dc, 0, 4L * n);
            assertThat(q.await(q.submit(read))).isEqualTo(Outcome.COMPLETED);
            float[] c = read.floats();
            for (int i = 0; i < n; i++) {
                assertThat(c[i]).as("c[%d]", i).isEqualTo(a[i] + b[i]);
            }
            System.out.println("[hip tests] vector add of " + n + " floats on " + device.id() + " matches the host");
        }
    }

    @Test
    void setsAndCopiesDeviceMemoryThroughAnXQueue() throws Exception {
        try (HipBuffer src = device.buffer(4096); HipBuffer dst = device.buffer(4096)) {
            XQueue q = xsched.createQueue(device.id(), QueueOptions.defaults().withName("memory"));
            q.submit(MemorySet.int32(src, 0, 0x01020304, 1024));
            q.submit(MemorySet.int8(src, 0, (byte) 0x7F, 4));
            q.submit(MemoryCopy.deviceToDevice(src, 0, dst, 0, 4096));
            assertThat(q.await(q.submit(MemorySet.int8(src, 0, (byte) 0, 4096)))).isEqualTo(Outcome.COMPLETED);
            int[] words = device.readInts(dst, 0, 1024);
            assertThat(words[0]).isEqualTo(0x7F7F7F7F);
            assertThat(words[1]).isEqualTo(0x01020304);
            assertThat(words[1023]).isEqualTo(0x01020304);
            assertThat(device.readInts(src, 0, 1)[0]).isZero();
        }
    }
}
