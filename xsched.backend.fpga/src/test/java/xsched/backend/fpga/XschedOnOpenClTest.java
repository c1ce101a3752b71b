package xsched.backend.fpga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xsched.api.Outcome;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.fpga.embed.OpenClBackends;
import xsched.core.embed.EmbeddedXsched;
import xsched.spi.hal.Backend;

/** Real kernels through xsched queues on the first OpenCL device, checked against the CPU; skipped without OpenCL. */
class XschedOnOpenClTest {
    private OpenClDevice device;
    private OpenClProgram program;
    private Backend backend;
    private EmbeddedXsched xsched;

    @BeforeEach
    void open() {
        device = Devices.first();
        program = device.program(Devices.KERNELS, "");
        backend = OpenClBackends.over(Devices.platform());
        xsched = EmbeddedXsched.builder().manualScheduling().backend(backend).build();
    }

    @AfterEach
    void close() throws Exception {
        xsched.close();
        ((AutoCloseable) backend).close();
        program.close();
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    @Test
    void addsVectorsThroughAnXQueue() throws Exception {
        int n = 100_000;
        float[] a = random(n, 1);
        float[] b = random(n, 2);
        try (OpenClBuffer da = device.buffer(4L * n); OpenClBuffer db = device.buffer(4L * n); OpenClBuffer dc = device.buffer(4L * n);
             OpenClKernel vadd = program.kernel("vadd")) {
            XQueue q = xsched.createQueue(device.id(), QueueOptions.defaults().withName("vadd"));
            q.submit(BufferWrite.of(da, 0, a));
            q.submit(BufferWrite.of(db, 0, b));
            q.submit(vadd.launch(n).arg(da).arg(db).arg(dc).arg(n).build());
            BufferRead read = BufferRead.of(dc, 0, 4L * n);
            long seq = q.submit(read);
            assertThat(q.await(seq)).isEqualTo(Outcome.COMPLETED);
            float[] c = read.floats();
            for (int i = 0; i < n; i++) {
                assertThat(c[i]).as("c[%d]", i).isEqualTo(a[i] + b[i]);
            }
            System.out.println("[opencl tests] vector add of " + n + " floats on " + device.id() + " matches the CPU");
        }
    }

    @Test
    void multipliesMatricesThroughAnXQueue() throws Exception {
        int n = 64;
        float[] a = random(n * n, 3);
        float[] b = random(n * n, 4);
        float[] expected = new float[n * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                float acc = 0;
                for (int k = 0; k < n; k++) {
                    acc += a[r * n + k] * b[k * n + c];
                }
                expected[r * n + c] = acc;
            }
        }
        long bytes = 4L * n * n;
        try (OpenClBuffer da = device.buffer(bytes); OpenClBuffer db = device.buffer(bytes); OpenClBuffer dc = device.buffer(bytes);
             OpenClBuffer copy = device.buffer(bytes); OpenClKernel sgemm = program.kernel("sgemm")) {
            XQueue q = xsched.createQueue(device.id(), QueueOptions.defaults().withName("sgemm"));
            q.submit(BufferWrite.of(da, 0, a));
            q.submit(BufferWrite.of(db, 0, b));
            q.submit(sgemm.launch(n, n).workGroup(8, 8).arg(da).arg(db).arg(dc).arg(n).build());
            q.submit(BufferCopy.of(dc, 0, copy, 0, bytes));
            q.submit(Marker.on(device));
            BufferRead read = BufferRead.of(copy, 0, bytes);
            assertThat(q.await(q.submit(read))).isEqualTo(Outcome.COMPLETED);
            float[] c = read.floats();
            for (int i = 0; i < n * n; i++) {
                assertThat(c[i]).as("C[%d]", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-3f));
            }
            System.out.println("[opencl tests] SGEMM " + n + "x" + n + " on " + device.id() + " matches the CPU");
        }
    }

    @Test
    void passesLocalMemoryAndScalars() throws Exception {
        float[] x = random(256, 5);
        try (OpenClBuffer dx = device.buffer(4L * x.length); OpenClKernel scale = program.kernel("scale")) {
            device.write(dx, 0, x);
            XQueue q = xsched.createQueue(device.id(), QueueOptions.defaults().withName("scale"));
            long seq = q.submit(scale.launch(x.length).workGroup(16).arg(dx).localMemory(16 * 4).arg(2.0f).build());
            assertThat(q.await(seq)).isEqualTo(Outcome.COMPLETED);
            float[] y = device.readFloats(dx, 0, x.length);
            for (int i = 0; i < x.length; i++) {
                assertThat(y[i]).isEqualTo(x[i] * 2.0f);
            }
        }
    }

    @Test
    void rejectsBadInputWithClearMessages() {
        assertThatThrownBy(() -> program.kernel("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no kernel named 'nope'");
        assertThatThrownBy(() -> device.program("__kernel void broken(__global int* x) { x[0] = undefined_thing; }", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clBuildProgram")
                .hasMessageContaining("build log").hasMessageContaining("undefined_thing");
        try (OpenClKernel vadd = program.kernel("vadd"); OpenClBuffer buf = device.buffer(64)) {
            assertThatThrownBy(() -> vadd.launch(16).arg(buf).arg(buf).build()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("takes 4 arguments, but 2 were given");
            assertThatThrownBy(() -> vadd.launch(16).arg(1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("parameter 0").hasMessageContaining("takes a buffer");
            assertThatThrownBy(() -> vadd.launch(16).arg(buf).arg(buf).arg(buf).arg(1.5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("parameter 3").hasMessageContaining("4 bytes");
            assertThatThrownBy(() -> vadd.launch(1, 2, 3, 4)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1 to 3 dimensions");
            XQueue q = xsched.createQueue(device.id(), QueueOptions.defaults().withName("bad"));
            assertThatThrownBy(() -> q.submit(new xsched.spi.hal.HwCommand() { })).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("an OpenCL queue runs commands built by xsched.backend.fpga");
            NDRangeLaunch once = vadd.launch(16).arg(buf).arg(buf).arg(buf).arg(4).build();
            q.submit(once);
            assertThatThrownBy(() -> q.submit(once)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already submitted");
        }
    }

    @Test
    void aLaunchTheRuntimeRefusesFailsOnlyItsCommand() throws Exception {
        try (OpenClMarks marks = new OpenClMarks(device, 3)) {
            XQueue q = xsched.createQueue(device.id(), QueueOptions.defaults().withName("refused"));
            long before = q.submit(marks.mark(0));
            long bad = q.submit(marks.failing().orElseThrow());
            long after = q.submit(marks.mark(1));
            assertThat(q.await(bad)).isEqualTo(Outcome.FAILED);
            assertThat(q.failure(bad)).isInstanceOf(OpenClException.class).hasMessageContaining("clEnqueueNDRangeKernel")
                    .hasMessageContaining("CL_INVALID_WORK_GROUP_SIZE");
            assertThat(q.await(before)).isEqualTo(Outcome.COMPLETED);
            assertThat(q.await(after)).isEqualTo(Outcome.COMPLETED);
            assertThat(marks.counts()).containsExactly(1, 1, 0);
        }
    }
}
