package xsched.backend.host;

/** The body of a {@link HostKernel}: runs one block of the grid. */
@FunctionalInterface
public interface BlockFunction {
    /**
     * @param block the block's index, 0 ≤ block &lt; blocks
     * @param ctx   interrupt point for idempotent kernels
     */
    void run(int block, BlockContext ctx);
}
