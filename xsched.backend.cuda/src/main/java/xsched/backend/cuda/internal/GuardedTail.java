package xsched.backend.cuda.internal;

import xsched.backend.cuda.KernelLaunch;

/**
 * The guarded kernel launch that ends a batch of a gated queue, and the control block it used: what
 * a stop with the queue's flag set may have cut short, and what is relaunched before the batches
 * behind the gate run.
 *
 * @param launch the launch of a guarded kernel
 * @param block  the control block it used ({@code LaunchScratch#lastGuardedBlock()} right after it)
 */
record GuardedTail(KernelLaunch launch, long block) {
}
