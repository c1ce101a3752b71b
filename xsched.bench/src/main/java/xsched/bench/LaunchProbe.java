package xsched.bench;

import java.util.List;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * A backend decorator that counts how many commands the queue has handed to the hardware
 * queue. Everything is delegated to the wrapped backend, so the queue keeps its real type
 * (level 3 on the host XPU), its real device engine and its real sync points; the only addition is
 * one volatile write per launch, made before the command goes to the device. One probe per queue.
 * The wrapped queue must support level 3 (the host XPU's and {@link StubBackend}'s do).
 */
final class LaunchProbe implements Backend {
    private final Backend inner;
    private volatile ProbedQueue queue;

    LaunchProbe(Backend inner) {
        this.inner = inner;
    }

    /** @return commands handed to {@link HwQueue#launch(HwCommand)} so far; equals the last launched seq */
    long launched() {
        return queue.launched;
    }

    @Override
    public String platform() {
        return inner.platform();
    }

    @Override
    public List<XpuDevice> devices() {
        return inner.devices();
    }

    @Override
    public HwQueue open(XpuDevice device) {
        if (queue != null) {
            throw new IllegalStateException("a launch probe watches one queue");
        }
        HwQueue hw = inner.open(device);
        if (!(hw instanceof HwQueue.Interruptible i)) {
            throw new IllegalStateException("expected a level-3 queue, got " + hw.getClass().getName());
        }
        ProbedQueue probed = new ProbedQueue(i);
        queue = probed;
        return probed;
    }

    @Override
    public int rank() {
        return inner.rank();
    }

    /**
     * Free-threaded like the host queue it wraps, so the benchmark measures the front door (a
     * command launched from the submitting thread) as applications get it.
     */
    private static final class ProbedQueue implements HwQueue.Interruptible, HwQueue.FreeThreaded, HwQueue.CommandThreads {
        private final HwQueue.Interruptible inner;
        /** Written only by the thread holding the queue's launch token. */
        volatile long launched;

        @Override
        public boolean runsCommandsOn(Thread thread) {
            return inner instanceof HwQueue.CommandThreads c && c.runsCommandsOn(thread);
        }

        ProbedQueue(HwQueue.Interruptible inner) {
            this.inner = inner;
        }

        @Override
        public void accept(HwCommand command) {
            inner.accept(command);
        }

        @Override
        public void launch(HwCommand command) {
            launched = launched + 1;
            inner.launch(command);
        }

        @Override
        public SyncPoint record() {
            return inner.record();
        }

        @Override
        public void synchronize() throws InterruptedException {
            inner.synchronize();
        }

        @Override
        public void close() {
            inner.close();
        }

        @Override
        public void deactivate() {
            inner.deactivate();
        }

        @Override
        public void reactivate(List<HwCommand> log) {
            inner.reactivate(log);
        }

        @Override
        public void interrupt() {
            inner.interrupt();
        }

        @Override
        public void restore(List<HwCommand> log) {
            inner.restore(log);
        }
    }
}
