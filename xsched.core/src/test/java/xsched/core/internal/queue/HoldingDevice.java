package xsched.core.internal.queue;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import xsched.api.DeviceKind;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * A backend whose queues hold launched commands behind a gate while deactivated ({@link
 * HwQueue.Holding}), the way the CUDA stream gate does: each queue runs its commands in order on a
 * thread of its own, which stops in front of the next command while the gate is closed. Commands
 * are {@link Mark}s, which count their runs, so a test can check that every command ran exactly
 * once: relaunching a held command, or losing one, shows in its count.
 */
final class HoldingDevice implements Backend, AutoCloseable {
    /** A command that counts how often it ran in {@code runs[index]}. */
    record Mark(AtomicIntegerArray runs, int index) implements HwCommand {
        @Override
        public String describe() {
            return "mark " + index;
        }
    }

    final XpuDevice device;
    final AtomicInteger deactivations = new AtomicInteger();
    final List<GatedQueue> queues = new CopyOnWriteArrayList<>();

    HoldingDevice(String id) {
        this(id, PreemptLevel.DEACTIVATE);
    }

    /** @param maxLevel what the device lets its queues use (level 1: the gate is never used) */
    HoldingDevice(String id, PreemptLevel maxLevel) {
        device = new XpuDevice(id, "holding", DeviceKind.ASIC, "holding test device", maxLevel);
    }

    @Override
    public String platform() {
        return "holding";
    }

    @Override
    public List<XpuDevice> devices() {
        return List.of(device);
    }

    @Override
    public HwQueue open(XpuDevice d) {
        GatedQueue q = new GatedQueue();
        queues.add(q);
        return q;
    }

    @Override
    public void close() {
        queues.forEach(GatedQueue::close);
    }

    /** One queue: launched commands in order, a gate, a thread that runs them. */
    final class GatedQueue implements HwQueue.Holding, HwQueue.FreeThreaded {
        private final ArrayDeque<HwCommand> launched = new ArrayDeque<>();
        private final Thread runner;
        private long launchedCount;
        private long ranCount;
        private boolean open = true;
        private boolean stalled;
        private boolean running;
        private boolean closed;
        /** While set, sync points say nothing when asked: reached() is false (the device ran the work; its points lag). */
        private boolean muted;
        /** While set, await() on a sync point waits, so a queue's worker blocked there learns nothing either. */
        private boolean waitsHeld;

        GatedQueue() {
            runner = Thread.ofPlatform().daemon().name("holding-device").start(this::run);
        }

        private void run() {
            while (true) {
                HwCommand next;
                synchronized (this) {
                    while (!closed && (!open || stalled || launched.isEmpty())) {
                        waitHere();
                    }
                    if (launched.isEmpty()) {
                        return;
                    }
                    next = launched.poll();
                    running = true;
                }
                if (next instanceof Mark(AtomicIntegerArray runs, int index)) {
                    runs.incrementAndGet(index);
                }
                Thread.onSpinWait();
                synchronized (this) {
                    running = false;
                    ranCount++;
                    notifyAll();
                }
            }
        }

        private void waitHere() {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void accept(HwCommand command) {
            if (!(command instanceof Mark)) {
                throw new IllegalArgumentException("a holding queue runs marks only");
            }
        }

        @Override
        public synchronized void launch(HwCommand command) {
            launched.add(command);
            launchedCount++;
            notifyAll();
        }

        @Override
        public synchronized SyncPoint record() {
            long through = launchedCount;
            return new SyncPoint() {
                @Override
                public boolean reached() {
                    synchronized (GatedQueue.this) {
                        return !muted && ranCount >= through;
                    }
                }

                /** Gives up once a deactivation is in effect, as the contract asks; the point stays valid. */
                @Override
                public boolean await() throws InterruptedException {
                    synchronized (GatedQueue.this) {
                        while (ranCount < through || waitsHeld) {
                            if (!open) {
                                return false;
                            }
                            GatedQueue.this.wait();
                        }
                        return true;
                    }
                }
            };
        }

        @Override
        public synchronized void synchronize() throws InterruptedException {
            while (ranCount < launchedCount) {
                wait();
            }
        }

        @Override
        public synchronized void deactivate() {
            deactivations.incrementAndGet();
            open = false;
            notifyAll();
            while (running) {
                waitHere();
            }
        }

        /** Sync points stop telling that the device passed them, until {@link #unmute}. */
        synchronized void mute() {
            muted = true;
            waitsHeld = true;
        }

        /** Sync points answer when asked again; a worker blocked on one stays blocked. */
        synchronized void answerWhenAsked() {
            muted = false;
        }

        synchronized void unmute() {
            muted = false;
            waitsHeld = false;
            notifyAll();
        }

        /** @return how many launched commands the device ran */
        synchronized long ran() {
            return ranCount;
        }

        /** The device stops taking up commands, as a busy device would; nothing is deactivated. */
        synchronized void stall() {
            stalled = true;
        }

        synchronized void unstall() {
            stalled = false;
            notifyAll();
        }

        @Override
        public synchronized void reactivate(List<HwCommand> log) {
            open = true;
            notifyAll();
        }

        /** Held commands run before the queue goes away, as the contract asks. */
        @Override
        public void close() {
            synchronized (this) {
                open = true;
                stalled = false;
                closed = true;
                notifyAll();
            }
            try {
                runner.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public synchronized String toString() {
            return "GatedQueue[open " + open + ", stalled " + stalled + ", launched " + launchedCount + ", ran " + ranCount + ", waiting " + launched.size()
                    + ", running " + running + "]";
        }

        synchronized long held() {
            return launched.size();
        }
    }
}
