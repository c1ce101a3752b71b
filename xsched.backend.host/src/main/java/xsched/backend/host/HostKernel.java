package xsched.backend.host;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A kernel for the host XPU: a grid of {@code blocks} blocks, each a call of the body. Blocks run
 * in index order on the device engine. A deactivation stops the kernel between blocks; when the
 * queue is reactivated the kernel continues with the next block not yet taken, so every block runs
 * exactly once. If the kernel is {@linkplain #idempotent() idempotent}, an interruption also stops a
 * running block at its next {@link BlockContext#preempted()} check; that block is redone.
 */
public final class HostKernel extends HostCommand {
    /** The least engine time between two yields of the CPU at block boundaries. */
    private static final long YIELD_EVERY_NANOS = 200_000;

    private final int blocks;
    private final boolean idempotent;
    private final BlockFunction body;
    private final ArrayDeque<Integer> redo = new ArrayDeque<>(1);
    private int nextBlock;
    private int blocksRun;
    private int blocksAbandoned;

    private HostKernel(String name, int blocks, boolean idempotent, BlockFunction body) {
        super(name);
        this.blocks = blocks;
        this.idempotent = idempotent;
        this.body = body;
    }

    /**
     * A kernel whose blocks may not be cut short (levels 1 and 2 preempt it between blocks).
     *
     * @param name   a label
     * @param blocks grid size, ≥ 1
     * @param body   the block body
     * @return a command for one submission
     */
    public static HostKernel of(String name, int blocks, BlockFunction body) {
        return create(name, blocks, false, body);
    }

    /**
     * A kernel whose blocks may be abandoned mid-way and run again from their start.
     *
     * @param name   a label
     * @param blocks grid size, ≥ 1
     * @param body   the block body; it calls {@link BlockContext#preempted()} in its loops
     * @return a command for one submission
     */
    public static HostKernel idempotent(String name, int blocks, BlockFunction body) {
        return create(name, blocks, true, body);
    }

    private static HostKernel create(String name, int blocks, boolean idempotent, BlockFunction body) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        if (blocks < 1) {
            throw new IllegalArgumentException("a kernel needs at least one block, not " + blocks);
        }
        return new HostKernel(name, blocks, idempotent, body);
    }

    @Override
    public boolean idempotent() {
        return idempotent;
    }

    /** @return grid size */
    public int blocks() {
        return blocks;
    }

    /** @return blocks that ran to their end (each block counts once) */
    public synchronized int blocksRun() {
        return blocksRun;
    }

    /** @return block runs abandoned by an interruption (and redone later) */
    public synchronized int blocksAbandoned() {
        return blocksAbandoned;
    }

    @Override
    void execute(StopSignal stop, int worker) {
        BlockRun ctx = new BlockRun(stop, idempotent, worker);
        while (!completed()) {
            // The engine is a thread that computes without pause while work is queued; at a block
            // boundary it lets a waiting thread of its CPU run first (the scheduler, a thread about
            // to submit or to take its results), or that thread may wait a whole tick of the
            // kernel's scheduler (4 ms at 250 Hz) behind it, on a machine with few cores even while
            // another core idles. A real device computes beside the host, not instead of it. At most
            // one yield per YIELD_EVERY_NANOS: on a machine whose cores are all busy, a yield at
            // every short block hands the core to another process each time and the kernel crawls.
            long now = System.nanoTime();
            if (now - ctx.lastYield >= YIELD_EVERY_NANOS) {
                ctx.lastYield = now;
                Thread.yield();
            }
            if (stop.stopRequested()) {
                return;
            }
            int block;
            synchronized (this) {
                Integer again = redo.poll();
                if (again != null) {
                    block = again;
                } else if (nextBlock < blocks) {
                    block = nextBlock++;
                } else {
                    break;
                }
            }
            ctx.yielded = false;
            try {
                body.run(block, ctx);
            } catch (RuntimeException | Error e) {
                finish(e);
                return;
            }
            synchronized (this) {
                if (ctx.yielded) {
                    redo.push(block);
                    blocksAbandoned++;
                    return;
                }
                blocksRun++;
            }
        }
        finish(null);
    }

    private static final class BlockRun implements BlockContext {
        private final StopSignal stop;
        private final boolean idempotent;
        private final int worker;
        boolean yielded;
        long lastYield = System.nanoTime() - YIELD_EVERY_NANOS;

        BlockRun(StopSignal stop, boolean idempotent, int worker) {
            this.stop = stop;
            this.idempotent = idempotent;
            this.worker = worker;
        }

        @Override
        public int worker() {
            return worker;
        }

        @Override
        public boolean preempted() {
            if (idempotent && stop.interruptRequested()) {
                yielded = true;
            }
            return yielded;
        }
    }
}
