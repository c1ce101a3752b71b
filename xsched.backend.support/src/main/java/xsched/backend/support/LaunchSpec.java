package xsched.backend.support;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What one kernel launch for an API with a {@code kernelParams} array ({@code cuLaunchKernel},
 * {@code hipModuleLaunchKernel}) is made of: the kernel, the grid and block, the dynamic shared
 * memory per block and the captured arguments. A backend's public {@code KernelLaunch} keeps one and
 * its {@code KernelLaunch.Builder} fills one through a {@link Builder}. Immutable.
 *
 * @param <K>            the backend's kernel type
 * @param <D>            the backend's grid-dimension type
 * @param <A>            the backend's captured-arguments type
 * @param kernel         the kernel
 * @param grid           the grid, in blocks
 * @param block          the block, in threads
 * @param sharedMemBytes dynamic shared memory per block, in bytes
 * @param args           the captured arguments
 */
public record LaunchSpec<K, D, A>(K kernel, D grid, D block, int sharedMemBytes, A args) {
    /**
     * @param kernelName the kernel's name
     * @return the launch as CUDA writes it, e.g. "saxpy<<<(4,1,1),(256,1,1)>>>" (the shared memory third, where there is some)
     */
    public String describe(String kernelName) {
        return kernelName + "<<<" + grid + "," + block + (sharedMemBytes > 0 ? "," + sharedMemBytes : "") + ">>>";
    }

    /**
     * Collects one launch's settings besides its argument values, which the backend's own argument
     * builder collects. Not thread-safe: one launch builder fills one.
     *
     * @param <K> the backend's kernel type
     * @param <D> the backend's grid-dimension type
     * @param <A> the backend's captured-arguments type
     */
    public static final class Builder<K, D, A> {
        private final K kernel;
        private final D grid;
        private final D block;
        private int sharedMemBytes;
        private A given;

        /**
         * @param kernel the kernel
         * @param grid   the grid
         * @param block  the block
         * @throws NullPointerException for a null one
         */
        public Builder(K kernel, D grid, D block) {
            this.kernel = Objects.requireNonNull(kernel, "kernel");
            this.grid = Objects.requireNonNull(grid, "grid");
            this.block = Objects.requireNonNull(block, "block");
        }

        /**
         * @param bytes dynamic shared memory per block
         * @throws IllegalArgumentException when negative
         */
        public void sharedMemory(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("shared memory cannot be negative: " + bytes);
            }
            sharedMemBytes = bytes;
        }

        /** @param all every argument, replacing any added one by one */
        public void args(A all) {
            given = Objects.requireNonNull(all, "args");
        }

        /**
         * @param added the arguments added one by one, built when no others were {@linkplain #args(Object) given}
         * @return the launch
         */
        public LaunchSpec<K, D, A> build(Supplier<? extends A> added) {
            return new LaunchSpec<>(kernel, grid, block, sharedMemBytes, given != null ? given : added.get());
        }
    }
}
