package xsched.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

/**
 * The GPU tests' shared platform, opened once per JVM. A test that needs a GPU calls
 * {@link #platform()}, which skips it (a JUnit assumption) where no CUDA device can be used.
 */
public final class Gpus {
    private static CudaPlatform platform;
    private static String unavailable;

    private Gpus() {
    }

    /** @return the open platform; skips the calling test when there is none */
    public static synchronized CudaPlatform platform() {
        if (platform == null && unavailable == null) {
            try {
                platform = CudaPlatform.open();
                System.out.println("[gpu] " + platform.describe());
            } catch (CudaUnavailableException e) {
                unavailable = e.getMessage();
            }
        }
        assumeTrue(platform != null, () -> "skipped: " + unavailable);
        return platform;
    }

    /**
     * Closes the shared platform (the next {@link #platform()} opens a new one), so that the
     * calling test's own platforms are the only holders of the primary contexts and their releases
     * show in {@code cuDevicePrimaryCtxGetState}. Skips the calling test where there is no GPU.
     */
    public static synchronized void closeShared() {
        platform().close();
        platform = null;
    }

    /** @return cuda:0; skips the calling test when there is none */
    public static CudaGpu gpu() {
        return platform().gpu(0);
    }

    /** @param n length @param seed seed @return values in [-1, 1) */
    public static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    /** @return ‖out − ref‖ / ‖ref‖ in double */
    public static double relativeError(float[] out, double[] ref) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = out[i] - ref[i];
            num += d * d;
            den += ref[i] * ref[i];
        }
        return Math.sqrt(num / den);
    }

    /** C = A × B in double, row-major, A m×k, B k×n. */
    public static double[] gemm(float[] a, float[] b, int m, int n, int k) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double av = a[i * k + p];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += av * b[p * n + j];
                }
            }
        }
        return c;
    }
}
