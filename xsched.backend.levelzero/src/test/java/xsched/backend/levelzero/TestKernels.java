package xsched.backend.levelzero;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Random;
import xsched.api.Outcome;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.core.embed.EmbeddedXsched;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test kernels ({@code src/test/spirv/kernels.cl}, compiled to {@code kernels.spv} by {@code
 * regenerate.sh}): {@code mark} and {@code vadd}, which the fake driver runs as C and an Intel GPU
 * runs from the SPIR-V; and the vector-add workload the fake-driver and GPU tests share.
 */
public final class TestKernels {
    private TestKernels() {
    }

    /** @return the SPIR-V module (SPIR-V 1.0, clang 15 + llvm-spirv 15) */
    public static byte[] spirv() {
        try (InputStream in = TestKernels.class.getResourceAsStream("kernels.spv")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds two vectors of {@code n} floats through an XQueue on {@code device}: two host-to-device
     * copies, {@code vadd}, a device-to-host copy; checks the sums against the CPU.
     */
    public static void addVectors(ZeDevice device, EmbeddedXsched xsched, int n) throws Exception {
        float[] a = random(n, 1);
        float[] b = random(n, 2);
        try (ZeModule module = device.module(spirv(), ""); ZeKernel vadd = module.kernel("vadd");
             ZeBuffer ha = device.hostBuffer(4L * n); ZeBuffer hb = device.hostBuffer(4L * n); ZeBuffer hc = device.hostBuffer(4L * n);
             ZeBuffer da = device.buffer(4L * n); ZeBuffer db = device.buffer(4L * n); ZeBuffer dc = device.buffer(4L * n)) {
            device.write(ha, 0, a);
            device.write(hb, 0, b);
            XQueue q = xsched.createQueue(device.id(), QueueOptions.defaults().withName("vadd"));
            q.submit(MemoryCopy.of(ha, 0, da, 0, 4L * n));
            q.submit(MemoryCopy.of(hb, 0, db, 0, 4L * n));
            q.submit(vadd.launch((n + 255) / 256).groupSize(256).arg(da).arg(db).arg(dc).arg(n).build());
            long last = q.submit(MemoryCopy.of(dc, 0, hc, 0, 4L * n));
            assertThat(q.await(last, Duration.ofMinutes(2))).isEqualTo(Outcome.COMPLETED);
            float[] c = device.readFloats(hc, 0, n);
            for (int i = 0; i < n; i++) {
                assertThat(c[i]).as("c[%d]", i).isEqualTo(a[i] + b[i]);
            }
            System.out.println("[levelzero tests] vector add of " + n + " floats on " + device + " matches the CPU");
        }
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }
}
