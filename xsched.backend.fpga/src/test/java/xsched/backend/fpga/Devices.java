package xsched.backend.fpga;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The OpenCL platform of this test run, opened once: tests on a device call {@link #first()}, which
 * skips the test (a JUnit assumption) where OpenCL has no device, and says what it found once.
 */
public final class Devices {
    private static final Object LOCK = new Object();
    private static OpenClPlatform platform;
    private static String absent;

    private Devices() {
    }

    /** @return the open platform, or skips the calling test */
    public static OpenClPlatform platform() {
        synchronized (LOCK) {
            if (platform == null && absent == null) {
                try {
                    platform = OpenClPlatform.open();
                    System.out.println("[opencl tests] running on " + platform.describe());
                    platform.devices().forEach(d -> System.out.println("[opencl tests]   " + d));
                } catch (OpenClUnavailableException e) {
                    absent = e.getMessage();
                    System.out.println("[opencl tests] skipping device tests: " + absent);
                }
            }
            assumeTrue(platform != null, () -> "no OpenCL device: " + absent);
            return platform;
        }
    }

    /** Picks the device under test: the first whose description contains it (any case), e.g. {@code NVIDIA}; empty: the first. */
    public static final String DEVICE_PROPERTY = "xsched.opencl.test.device";

    /** @return the first device (of those {@value #DEVICE_PROPERTY} names, when set), or skips the calling test */
    public static OpenClDevice first() {
        String wanted = System.getProperty(DEVICE_PROPERTY, "").toLowerCase(java.util.Locale.ROOT);
        java.util.List<OpenClDevice> devices = platform().devices();
        OpenClDevice pick = devices.stream().filter(d -> d.toString().toLowerCase(java.util.Locale.ROOT).contains(wanted))
                .findFirst().orElse(null);
        assumeTrue(pick != null, () -> "no OpenCL device matches " + DEVICE_PROPERTY + "=" + wanted + " among " + devices);
        return pick;
    }

    /** Kernels the tests use. */
    public static final String KERNELS = """
            __kernel void vadd(__global const float* a, __global const float* b, __global float* c, int n) {
                int i = get_global_id(0);
                if (i < n) c[i] = a[i] + b[i];
            }
            __kernel void sgemm(__global const float* a, __global const float* b, __global float* c, int n) {
                int col = get_global_id(0);
                int row = get_global_id(1);
                if (row < n && col < n) {
                    float acc = 0.0f;
                    for (int k = 0; k < n; k++) acc += a[row * n + k] * b[k * n + col];
                    c[row * n + col] = acc;
                }
            }
            __kernel void mark(__global int* counts, __global int* order, __global int* clock, int i) {
                atomic_inc(&counts[i]);
                order[i] = atomic_inc(clock) + 1;
            }
            __kernel void scale(__global float* x, __local float* tmp, float f) {
                int i = get_global_id(0);
                tmp[get_local_id(0)] = x[i] * f;
                barrier(CLK_LOCAL_MEM_FENCE);
                x[i] = tmp[get_local_id(0)];
            }
            """;
}
