package xsched.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The kernels shipped with the backend (PTX under {@code xsched/backend/cuda/kernels/}, built from
 * {@code src/main/cuda/*.cu}), loaded on one GPU: vector add, SGEMM and bias + ReLU for tests and a
 * small MLP, and kernels of controllable duration ({@code spin}, {@code mark}) for preemption
 * tests and benchmarks. Each method builds one launch command. They load as they are, or
 * preemptible ({@link Form}).
 */
public final class StockKernels implements AutoCloseable {
    /** Threads per block of the element-wise kernels. */
    public static final int THREADS = 256;

    /** How the kernels are loaded: what a queue can do to them once they run. */
    public enum Form {
        /** As they are: a running kernel runs to its end (levels 1 and 2 by gates stop between kernels). */
        PLAIN,
        /** Through the PTX guardian ({@link CudaGpu#loadPreemptible}): a stop lets a running kernel's remaining blocks leave. */
        GUARDED,
        /**
         * Guarded, and {@code spin}, {@code sgemm} and {@code vector_add}, whose blocks may run
         * again from the start, are also cut off at loop back-edges (level 3); {@code bias_relu}
         * (in place) and {@code mark} (an atomic) are guarded only.
         */
        INTERRUPTIBLE
    }

    /** The kernels whose blocks can be cut off part-way and redone: each writes only what it does not read. */
    private static final Set<String> BLOCK_IDEMPOTENT = Set.of("spin", "sgemm", "vector_add");

    private final CudaGpu gpu;
    private final Form form;
    private final List<CudaModule> modules = new ArrayList<>();
    private final CudaKernel vectorAdd;
    private final CudaKernel biasRelu;
    private final CudaKernel sgemm;
    private final CudaKernel spin;
    private final CudaKernel mark;

    private StockKernels(CudaGpu gpu, Form form) {
        this.gpu = gpu;
        this.form = form;
        try {
            CudaModule elementwise = load("elementwise");
            CudaModule gemm = load("gemm");
            CudaModule timing = load("timing");
            vectorAdd = elementwise.kernel("vector_add");
            biasRelu = elementwise.kernel("bias_relu");
            sgemm = gemm.kernel("sgemm");
            spin = timing.kernel("spin");
            mark = timing.kernel("mark");
        } catch (RuntimeException e) {
            close(); // the modules loaded before the failure
            throw e;
        }
    }

    /**
     * @return the kernels the guardian left as they are, with its reasons (none for {@link Form#PLAIN},
     *         where nothing is guarded by choice)
     */
    public List<String> unguarded() {
        if (form == Form.PLAIN) {
            return List.of();
        }
        List<String> reasons = new ArrayList<>();
        for (CudaKernel k : List.of(vectorAdd, biasRelu, sgemm, spin, mark)) {
            if (!k.guarded()) {
                reasons.add(k.name() + ": " + k.unguardedReason().orElse("no reason given"));
            }
        }
        return reasons;
    }

    /** @param gpu where to load them @return the loaded kernels */
    public static StockKernels load(CudaGpu gpu) {
        return load(gpu, Form.PLAIN);
    }

    /**
     * @param gpu  where to load them
     * @param form as they are, guarded, or guarded with interrupt points
     * @return the loaded kernels
     */
    public static StockKernels load(CudaGpu gpu, Form form) {
        return new StockKernels(Objects.requireNonNull(gpu, "gpu"), Objects.requireNonNull(form, "form"));
    }

    /**
     * @param name a resource under {@code xsched/backend/cuda/kernels/}, e.g. {@code timing.ptx}
     * @return its bytes
     */
    public static byte[] resource(String name) {
        try (InputStream in = StockKernels.class.getResourceAsStream("kernels/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no kernel resource '" + name + "' in the backend bundle");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel resource " + name, e);
        }
    }

    private CudaModule load(String name) {
        byte[] ptx = resource(name + ".ptx");
        CudaModule module = switch (form) {
            case PLAIN -> gpu.loadModule(ptx, name + ".ptx");
            case GUARDED -> gpu.loadPreemptible(new String(ptx, StandardCharsets.UTF_8), Set.of());
            case INTERRUPTIBLE -> gpu.loadPreemptible(new String(ptx, StandardCharsets.UTF_8), BLOCK_IDEMPOTENT);
        };
        modules.add(module);
        return module;
    }

    /** @return the GPU they are loaded on */
    public CudaGpu gpu() {
        return gpu;
    }

    /** @return how they were loaded */
    public Form form() {
        return form;
    }

    /** {@code c[i] = a[i] + b[i]} for {@code i < n}. @param a in @param b in @param c out @param n floats @return the launch */
    public KernelLaunch vectorAdd(DeviceBuffer a, DeviceBuffer b, DeviceBuffer c, int n) {
        requireFloats(n, a, b, c);
        return vectorAdd.launch(Dim3.covering(n, THREADS), Dim3.of(THREADS)).arg(a).arg(b).arg(c).arg(n).build();
    }

    /**
     * {@code C = A × B}, row-major, A m×k, B k×n, C m×n, in 16×16 tiles.
     *
     * @param a A @param b B @param c C @param m rows of A and C @param n columns of B and C @param k columns of A, rows of B
     * @return the launch
     */
    public KernelLaunch sgemm(DeviceBuffer a, DeviceBuffer b, DeviceBuffer c, int m, int n, int k) {
        if (m < 1 || n < 1 || k < 1) {
            throw new IllegalArgumentException("matrix sizes must be positive, not m=" + m + " n=" + n + " k=" + k);
        }
        requireFloats((long) m * k, a);
        requireFloats((long) k * n, b);
        requireFloats((long) m * n, c);
        return sgemm.launch(Dim3.of((n + 15) / 16, (m + 15) / 16), Dim3.of(16, 16))
                .arg(a).arg(b).arg(c).arg(m).arg(n).arg(k).build();
    }

    /** {@code y = max(y + bias, 0)}, bias broadcast over rows. @param y rows×cols @param bias cols @param rows rows @param cols cols @return the launch */
    public KernelLaunch biasRelu(DeviceBuffer y, DeviceBuffer bias, int rows, int cols) {
        requireFloats((long) rows * cols, y);
        requireFloats(cols, bias);
        int blocks = (int) Math.min(65_535, ((long) rows * cols + THREADS - 1) / THREADS);
        return biasRelu.launch(Dim3.of(blocks), Dim3.of(THREADS)).arg(y).arg(bias).arg(rows).arg(cols).build();
    }

    /**
     * A kernel that spins for {@code nanos} in every block.
     *
     * @param nanos   how long each block runs
     * @param blocks  grid size
     * @param threads block size
     * @return the launch
     */
    public KernelLaunch spin(long nanos, int blocks, int threads) {
        requireNanos(nanos);
        return spin.launch(Dim3.of(blocks), Dim3.of(threads)).arg(nanos).build();
    }

    /** @param nanos duration @return a spin launch that fills every SM's thread slots (2 blocks of 1024 threads per SM) */
    public KernelLaunch saturatingSpin(long nanos) {
        return spin(nanos, 2 * gpu.multiprocessors(), 1024);
    }

    /**
     * One block that spins for {@code nanos} and then appends {@code value} to {@code log}:
     * {@code log[atomicAdd(cursor, 1)] = value}.
     *
     * @param log    ints, one per expected mark
     * @param cursor one int, zero at the start
     * @param value  what to append
     * @param nanos  how long to spin first
     * @return the launch
     */
    public KernelLaunch mark(DeviceBuffer log, DeviceBuffer cursor, int value, long nanos) {
        requireNanos(nanos);
        requireFloats(1, log, cursor);
        return mark.launch(Dim3.of(1), Dim3.of(32)).arg(log).arg(cursor).arg(value).arg(nanos).build();
    }

    private static void requireFloats(long count, DeviceBuffer... buffers) {
        if (count < 1) {
            throw new IllegalArgumentException("element count must be positive, not " + count);
        }
        for (DeviceBuffer buffer : buffers) {
            Objects.requireNonNull(buffer, "buffer");
            if (buffer.bytes() < count * 4) {
                throw new IllegalArgumentException(buffer + " is too small for " + count + " 4-byte elements");
            }
        }
    }

    private static void requireNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("duration cannot be negative: " + nanos + " ns");
        }
    }

    /** Unloads the modules. */
    @Override
    public void close() {
        modules.forEach(CudaModule::close);
    }
}
