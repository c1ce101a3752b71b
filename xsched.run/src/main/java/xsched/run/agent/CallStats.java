package xsched.run.agent;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the intercepted calls did: through a queue at once, through a queue after a wait, natively,
 * or through a stream's direct lane (made by the interposer itself, counted by the queue).
 */
final class CallStats {
    final LongAdder queued = new LongAdder();
    final LongAdder waited = new LongAdder();
    final LongAdder waitNanos = new LongAdder();
    final LongAdder natively = new LongAdder();
    final LongAdder direct = new LongAdder();

    /** @return e.g. "180000 launches through direct lanes, 12000 calls through queues (40 waited for their launch, 3.2 ms in all), 300 natively" */
    String describe() {
        return direct.sum() + " launches through direct lanes, " + queued.sum() + " calls through queues (" + waited.sum() + " waited for their launch, "
                + String.format("%.1f", waitNanos.sum() / 1e6) + " ms in all), " + natively.sum() + " natively";
    }
}
