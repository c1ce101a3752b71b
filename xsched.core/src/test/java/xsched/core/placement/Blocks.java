package xsched.core.placement;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import xsched.backend.host.HostKernel;

/**
 * Kernels of one queue that count how often each block ran and record the workers that ran them.
 * Their blocks cannot be cut short, so each must run exactly once whatever happens to the queue.
 */
final class Blocks {
    static final int PER_KERNEL = 4;

    final AtomicIntegerArray runs;
    final Set<Integer> workers = ConcurrentHashMap.newKeySet();
    private final String name;

    Blocks(String name, int kernels) {
        this.name = name;
        this.runs = new AtomicIntegerArray(kernels * PER_KERNEL);
    }

    HostKernel kernel(int index) {
        return HostKernel.of(name + index, PER_KERNEL, (block, ctx) -> {
            long end = System.nanoTime() + 20_000;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            workers.add(ctx.worker());
            runs.incrementAndGet(index * PER_KERNEL + block);
        });
    }

    /** @return the index of the first block that did not run exactly once, or -1 */
    int firstNotOnce() {
        for (int i = 0; i < runs.length(); i++) {
            if (runs.get(i) != 1) {
                return i;
            }
        }
        return -1;
    }
}
