package xsched.backend.fpga.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.fpga.Devices;
import xsched.backend.fpga.NDRangeLaunch;
import xsched.backend.fpga.OpenClBuffer;
import xsched.backend.fpga.OpenClDevice;
import xsched.backend.fpga.OpenClKernel;
import xsched.backend.fpga.OpenClProgram;
import xsched.backend.fpga.QueueAccess;
import xsched.backend.fpga.embed.OpenClBackends;
import xsched.backend.fpga.internal.ffm.OpenCl;
import xsched.core.embed.EmbeddedXsched;
import xsched.spi.hal.Backend;

/**
 * Level 1 overhead on the first OpenCL device: the same vector-add launches enqueued directly on
 * one in-order command queue (then {@code clFinish}) and submitted to one XQueue (default threshold
 * 16, batch 8, then {@code awaitAll}), timed host-side from the first launch to completion of the
 * last. Repetitions alternate between the two; medians are reported. Commands are built before
 * timing in both modes. Run with
 * {@code ./mvnw -B -o test -pl xsched.backend.fpga -Dtest=OpenClOverheadBench -Dxsched.bench=true}.
 */
@EnabledIfSystemProperty(named = "xsched.bench", matches = "true")
class OpenClOverheadBench {
    private static final int REPS = 9;

    @Test
    void directVersusLevel1() throws Exception {
        OpenClDevice device = Devices.first();
        Backend backend = OpenClBackends.over(Devices.platform());
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(backend).build();
             OpenClProgram program = device.program(Devices.KERNELS, "");
             OpenClKernel vadd = program.kernel("vadd")) {
            System.out.println("[bench] device " + device + ", " + REPS + " repetitions, medians");
            System.out.println("[bench] workload | commands | direct ms | xsched Lv1 ms | overhead | per command direct / xsched us");
            for (int[] w : new int[][] {{1024, 2000}, {65536, 1000}, {1 << 20, 200}}) {
                run(xsched, device, vadd, w[0], w[1]);
            }
        } finally {
            ((AutoCloseable) backend).close();
        }
    }

    private static void run(EmbeddedXsched xsched, OpenClDevice device, OpenClKernel vadd, int n, int count) throws Exception {
        try (OpenClBuffer a = device.buffer(4L * n); OpenClBuffer b = device.buffer(4L * n); OpenClBuffer c = device.buffer(4L * n)) {
            XQueue q = xsched.createQueue(device.id(), QueueOptions.defaults().withName("bench"));
            long direct = OpenCl.createQueue(QueueAccess.context(device), QueueAccess.handle(device));
            try {
                double[] d = new double[REPS];
                double[] x = new double[REPS];
                for (int rep = -1; rep < REPS; rep++) {
                    List<NDRangeLaunch> one = build(vadd, a, b, c, n, count);
                    List<NDRangeLaunch> two = build(vadd, a, b, c, n, count);
                    long t0 = System.nanoTime();
                    for (NDRangeLaunch l : one) {
                        QueueAccess.enqueue(l, direct);
                    }
                    OpenCl.finish(direct);
                    long t1 = System.nanoTime();
                    for (NDRangeLaunch l : two) {
                        q.submit(l);
                    }
                    q.awaitAll();
                    long t2 = System.nanoTime();
                    if (rep >= 0) {
                        d[rep] = (t1 - t0) / 1e6;
                        x[rep] = (t2 - t1) / 1e6;
                    }
                }
                double dm = median(d);
                double xm = median(x);
                System.out.printf("[bench] vadd n=%d | %d | %.2f | %.2f | %+.1f%% | %.1f / %.1f%n", n, count, dm, xm,
                        (xm / dm - 1) * 100, dm * 1000 / count, xm * 1000 / count);
            } finally {
                OpenCl.releaseQueue(direct);
                q.close();
            }
        }
    }

    private static List<NDRangeLaunch> build(OpenClKernel vadd, OpenClBuffer a, OpenClBuffer b, OpenClBuffer c, int n, int count) {
        List<NDRangeLaunch> launches = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            launches.add(vadd.launch(n).arg(a).arg(b).arg(c).arg(n).build());
        }
        return launches;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
