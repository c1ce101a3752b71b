package xsched.core.internal.queue;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.PreemptLevel;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * Progressive launching, as in the XSched paper: the worker moves commands from the queue's
 * buffer to the hardware queue while fewer than {@code threshold} are unfinished, records a sync
 * point every {@code batchSize} commands (and after the last one when the buffer runs dry), and
 * when the window is full waits on the oldest sync point. With the buffer empty it polls the oldest
 * point so that new submissions are launched at once, unless a thread awaits completion: then it
 * blocks on the point, which reports completion soonest. While suspended it launches nothing.
 * After a deactivation or interruption it hands the in-flight log back to the hardware queue.
 */
final class LaunchWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(LaunchWorker.class);
    private static final long POLL_MIN_NANOS = TimeUnit.MICROSECONDS.toNanos(10);
    private static final long POLL_MAX_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private enum Step { LAUNCH, RECORD, WAIT, POLL, RELAUNCH, DETACH, ATTACH, EXIT }

    private final XQueueImpl q;
    private final Backend backend;
    private final CompletableFuture<HwQueue> opened;
    private HwQueue hw;

    private final ArrayDeque<HwCommand> inflight = new ArrayDeque<>();
    private final LongRing inflightSeqs = new LongRing();
    private final ArrayDeque<SyncPoint> syncs = new ArrayDeque<>();
    private final LongRing syncSeqs = new LongRing();
    private final LongRing syncTimes = new LongRing();
    private long typicalSyncNanos;
    private final Map<HwCommand, Throwable> launchFailures = new IdentityHashMap<>();
    private int sinceSync;
    private long pollNanos = POLL_MIN_NANOS;

    LaunchWorker(XQueueImpl q, Backend backend, CompletableFuture<HwQueue> opened) {
        this.q = q;
        this.backend = backend;
        this.opened = opened;
    }

    @Override
    public void run() {
        try {
            hw = backend.open(q.device());
        } catch (RuntimeException | Error e) {
            opened.completeExceptionally(e);
            return;
        }
        opened.complete(hw);
        try {
            loop();
            if (hw != null) {
                hw.synchronize();
            }
        } catch (InterruptedException e) {
            LOG.warn("launch worker of {} interrupted; closing its hardware queue", q);
        } catch (RuntimeException | Error e) {
            LOG.error("launch worker of {} failed", q, e);
        } finally {
            closeQuietly();
            q.workerFinished();
        }
    }

    private void closeQuietly() {
        syncs.forEach(SyncPoint::close);
        syncs.clear();
        syncSeqs.clear();
        syncTimes.clear();
        if (hw == null) {
            return;
        }
        try {
            hw.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the hardware queue of {} failed", q, e);
        }
    }

    /**
     * The backend is going away. Work launched on a running queue is waited for; a deactivated
     * queue keeps its in-flight log for the next backend. Then the hardware queue is closed.
     */
    private void detach() throws InterruptedException {
        q.control.lock();
        try {
            boolean stopped;
            q.lock.lock();
            try {
                stopped = q.stopped;
            } finally {
                q.lock.unlock();
            }
            if (!stopped) {
                if (!inflight.isEmpty() && (syncs.isEmpty() || syncSeqs.peekLast() != inflightSeqs.peekLast())) {
                    record();
                }
                while (!syncs.isEmpty()) {
                    waitOldest();
                }
            }
            closeQuietly();
            LOG.info("{} detached from its backend; {} launched command(s) kept for the next one", q, inflight.size());
            hw = null;
            q.lock.lock();
            try {
                q.detachedLocked();
            } finally {
                q.lock.unlock();
            }
        } finally {
            q.control.unlock();
        }
    }

    private void attach() {
        Backend next;
        xsched.api.XpuDevice device;
        q.lock.lock();
        try {
            next = q.attachTo;
            device = q.attachDevice;
            q.attachTo = null;
        } finally {
            q.lock.unlock();
        }
        HwQueue opened;
        try {
            opened = next.open(device);
        } catch (RuntimeException e) {
            LOG.warn("{} cannot attach to {}: {}", q, device.id(), e.toString());
            q.lock.lock();
            try {
                q.attachFailedLocked();
            } finally {
                q.lock.unlock();
            }
            return;
        }
        hw = opened;
        q.lock.lock();
        try {
            q.attachedLocked(opened, device);
        } finally {
            q.lock.unlock();
        }
        LOG.info("{} attached to {} (up to Lv{})", q, device.id(), XQueueImpl.supportedLevel(device, opened).number());
        if (!inflight.isEmpty() && !q.stopped) {
            failStranded();
        }
    }

    /** Commands launched on a hardware queue that is gone and cannot be relaunched: they fail. */
    private void failStranded() {
        if (inflight.isEmpty()) {
            return;
        }
        IllegalStateException gone = new IllegalStateException("its backend went away before it completed");
        q.lock.lock();
        try {
            int count = 0;
            long last = 0;
            while (!inflight.isEmpty()) {
                inflight.poll();
                last = inflightSeqs.poll();
                q.book.failed(last, gone);
                count++;
            }
            q.inFlight = 0;
            q.book.completed(last, count);
            q.endedLocked();
        } finally {
            q.lock.unlock();
        }
    }

    private void loop() throws InterruptedException {
        while (true) {
            HwCommand command = null;
            long seq = 0;
            boolean recordAfter = false;
            Step step;
            q.lock.lock();
            try {
                step = decide();
                if (step == Step.LAUNCH) {
                    command = q.pending.poll();
                    seq = q.nextLaunchSeq++;
                    recordAfter = sinceSync + 1 >= q.config.batchSize() || q.pending.isEmpty();
                } else if (step == null) {
                    q.work.await();
                    continue;
                }
            } finally {
                q.lock.unlock();
            }
            switch (step) {
                case LAUNCH -> launch(command, seq, recordAfter);
                case RECORD -> record();
                case WAIT -> waitOldest();
                case POLL -> pollOldest();
                case RELAUNCH -> relaunch();
                case DETACH -> detach();
                case ATTACH -> attach();
                case EXIT -> {
                    failStranded();
                    return;
                }
            }
        }
    }

    /** Lock held. Returns what to do next, or null to sleep until signalled. */
    private Step decide() {
        if (q.detachRequested) {
            return Step.DETACH;
        }
        if (hw == null) {
            if (q.closing) {
                return Step.EXIT;
            }
            return q.attachTo != null ? Step.ATTACH : null;
        }
        if (q.relaunchRequested && !q.suspended()) {
            return Step.RELAUNCH;
        }
        boolean canLaunch = !q.suspended() && !q.stopped;
        int threshold = q.config.threshold();
        if (canLaunch && !q.pending.isEmpty() && inflight.size() < threshold) {
            return Step.LAUNCH;
        }
        if (!syncs.isEmpty()) {
            boolean moreCouldCome = canLaunch && q.pending.isEmpty() && inflight.size() < threshold;
            return moreCouldCome && q.waiters == 0 ? Step.POLL : Step.WAIT;
        }
        if (!inflight.isEmpty() && !q.stopped) {
            return Step.RECORD;
        }
        if (q.closing && q.pending.isEmpty() && inflight.isEmpty()) {
            return Step.EXIT;
        }
        return null;
    }

    private void launch(HwCommand command, long seq, boolean recordAfter) {
        try {
            command.beforeLaunch();
            hw.launch(command);
        } catch (RuntimeException e) {
            LOG.debug("launch of command {} on {} failed", seq, q, e);
            launchFailures.put(command, e);
        }
        inflight.add(command);
        inflightSeqs.add(seq);
        q.inFlight = inflight.size();
        sinceSync++;
        if (recordAfter) {
            record();
        }
    }

    private void record() {
        SyncPoint point = hw.record();
        syncs.add(point);
        syncSeqs.add(inflightSeqs.peekLast());
        syncTimes.add(System.nanoTime());
        sinceSync = 0;
    }

    private void waitOldest() throws InterruptedException {
        SyncPoint oldest = syncs.peek();
        if (oldest.await()) {
            retireThrough();
        } else {
            cancelSyncs();
        }
    }

    /**
     * The buffer is empty but more may be submitted, so the worker must not block on the device:
     * it checks the oldest point, then sleeps on the queue's condition (a submit wakes it) for half
     * the time the point is still expected to take, judging by how long points took so far, and
     * then in short, growing steps. Halving keeps sleep overshoot out of the estimate.
     */
    private void pollOldest() throws InterruptedException {
        if (syncs.peek().reached()) {
            retireThrough();
            return;
        }
        long expectedIn = (typicalSyncNanos - (System.nanoTime() - syncTimes.peek())) / 2;
        long sleep = Math.max(expectedIn, pollNanos);
        q.lock.lock();
        try {
            if (q.pending.isEmpty() && q.waiters == 0 && !q.relaunchRequested && !q.suspended()) {
                q.work.awaitNanos(sleep);
            }
        } finally {
            q.lock.unlock();
        }
        pollNanos = Math.min(pollNanos * 2, POLL_MAX_NANOS);
    }

    private void retireThrough() {
        SyncPoint point = syncs.poll();
        long through = syncSeqs.poll();
        long took = System.nanoTime() - syncTimes.poll();
        typicalSyncNanos = typicalSyncNanos == 0 ? took : (typicalSyncNanos * 7 + took) / 8;
        point.close();
        int count = 0;
        long lastFailedSeq = -1;
        Throwable lastFailure = null;
        q.lock.lock();
        try {
            while (!inflight.isEmpty() && inflightSeqs.peek() <= through) {
                HwCommand done = inflight.poll();
                long seq = inflightSeqs.poll();
                Throwable failure = launchFailures.isEmpty() ? done.failure() : failureOf(done);
                if (failure != null) {
                    q.book.failed(seq, failure);
                    lastFailedSeq = seq;
                    lastFailure = failure;
                }
                count++;
            }
            q.inFlight = inflight.size();
            q.book.completed(through, count);
            q.endedLocked();
        } finally {
            q.lock.unlock();
        }
        pollNanos = POLL_MIN_NANOS;
        if (lastFailure != null) {
            LOG.debug("command {} of {} failed", lastFailedSeq, q, lastFailure);
        }
    }

    private Throwable failureOf(HwCommand command) {
        Throwable atLaunch = launchFailures.remove(command);
        return atLaunch != null ? atLaunch : command.failure();
    }

    private void cancelSyncs() {
        syncs.forEach(SyncPoint::close);
        syncs.clear();
        syncSeqs.clear();
        syncTimes.clear();
    }

    private void relaunch() {
        q.control.lock();
        try {
            PreemptLevel mode;
            q.lock.lock();
            try {
                if (!q.relaunchRequested || q.suspended()) {
                    return;
                }
                q.relaunchRequested = false;
                mode = q.stoppedWith;
            } finally {
                q.lock.unlock();
            }
            drainReachedSyncs();
            cancelSyncs();
            List<HwCommand> log = List.copyOf(inflight);
            if (mode == PreemptLevel.INTERRUPT && hw instanceof HwQueue.Interruptible interruptible) {
                interruptible.restore(log);
            } else if (hw instanceof HwQueue.Deactivatable deactivatable) {
                deactivatable.reactivate(log);
            } else {
                LOG.warn("{}: its new hardware queue cannot relaunch {} deactivated command(s); they fail", q, log.size());
                failStranded();
            }
            q.lock.lock();
            try {
                q.stopped = false;
            } finally {
                q.lock.unlock();
            }
            if (!inflight.isEmpty()) {
                record();
            }
        } finally {
            q.control.unlock();
        }
    }

    /** Sync points reached before the deactivation still retire their commands. */
    private void drainReachedSyncs() {
        while (!syncs.isEmpty() && syncs.peek().reached()) {
            retireThrough();
        }
    }
}
