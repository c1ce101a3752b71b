package xsched.backend.host;

/**
 * Stock kernels doing real arithmetic, for demos, tests and benchmarks.
 */
public final class HostKernels {
    private HostKernels() {
    }

    /**
     * {@code c = a + b}, split into {@code blocks} blocks. Idempotent: a block rewrites its slice.
     *
     * @param a      input
     * @param b      input
     * @param c      output, same length
     * @param blocks grid size
     * @return a command
     */
    public static HostKernel vectorAdd(float[] a, float[] b, float[] c, int blocks) {
        if (a.length != b.length || a.length != c.length) {
            throw new IllegalArgumentException("vector lengths differ: " + a.length + ", " + b.length + ", " + c.length);
        }
        int n = a.length;
        return HostKernel.idempotent("vectorAdd", blocks, (block, ctx) -> {
            int from = (int) ((long) n * block / blocks);
            int to = (int) ((long) n * (block + 1) / blocks);
            for (int i = from; i < to; i++) {
                c[i] = a[i] + b[i];
            }
        });
    }

    /**
     * {@code c = a × b} for n×n row-major matrices, one block per {@code rowsPerBlock} rows.
     * Idempotent, with an interrupt point per row.
     *
     * @param a            input
     * @param b            input
     * @param c            output
     * @param n            dimension
     * @param rowsPerBlock rows per block
     * @return a command
     */
    public static HostKernel gemm(float[] a, float[] b, float[] c, int n, int rowsPerBlock) {
        if (a.length != n * n || b.length != n * n || c.length != n * n) {
            throw new IllegalArgumentException("matrices must hold n*n = " + n * n + " elements");
        }
        int blocks = (n + rowsPerBlock - 1) / rowsPerBlock;
        return HostKernel.idempotent("gemm" + n, blocks, (block, ctx) -> {
            int end = Math.min(n, (block + 1) * rowsPerBlock);
            for (int i = block * rowsPerBlock; i < end; i++) {
                if (ctx.preempted()) {
                    return;
                }
                for (int j = 0; j < n; j++) {
                    float sum = 0;
                    for (int k = 0; k < n; k++) {
                        sum += a[i * n + k] * b[k * n + j];
                    }
                    c[i * n + j] = sum;
                }
            }
        });
    }

    /**
     * A compute-bound kernel: each block iterates a fused multiply-add chain {@code iterations}
     * times over its own accumulator and stores the result in {@code out[block]}. Idempotent, with
     * an interrupt point every 1024 iterations. Its duration per block scales with iterations.
     *
     * @param out        one slot per block
     * @param iterations per block
     * @return a command
     */
    public static HostKernel fma(double[] out, int iterations) {
        return HostKernel.idempotent("fma", out.length, (block, ctx) -> {
            double x = block + 1;
            for (int i = 0; i < iterations; i++) {
                x = Math.fma(x, 0.999999, 1e-6);
                if ((i & 1023) == 0 && ctx.preempted()) {
                    return;
                }
            }
            out[block] = x;
        });
    }

    /**
     * A kernel whose blocks each do fused multiply-adds for {@code nanosPerBlock} of CPU time, in
     * chunks of 1024 with an interrupt point between chunks; the result lands in {@code out[block]}.
     * For workloads that need a block duration independent of the CPU's speed. Idempotent.
     *
     * @param out           one slot per block
     * @param nanosPerBlock how long each block computes
     * @return a command
     */
    public static HostKernel timedFma(double[] out, long nanosPerBlock) {
        if (nanosPerBlock <= 0) {
            throw new IllegalArgumentException("block duration must be > 0 ns, not " + nanosPerBlock);
        }
        return HostKernel.idempotent("timedFma", out.length, (block, ctx) -> {
            long end = System.nanoTime() + nanosPerBlock;
            double x = block + 1;
            do {
                for (int i = 0; i < 1024; i++) {
                    x = Math.fma(x, 0.999999, 1e-6);
                }
                if (ctx.preempted()) {
                    return;
                }
            } while (System.nanoTime() < end);
            out[block] = x;
        });
    }
}
