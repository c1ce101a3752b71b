package xsched.core.internal.queue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/** Wraps a free-threaded level-3 backend and remembers which thread launched each command, and the sync points recorded. */
final class LaunchThreadProbe implements Backend {
    final Map<HwCommand, Thread> launchedBy = new ConcurrentHashMap<>();
    final List<SyncPoint> recorded = new CopyOnWriteArrayList<>();
    private final Backend inner;

    LaunchThreadProbe(Backend inner) {
        this.inner = inner;
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
        HwQueue.Interruptible hw = (HwQueue.Interruptible) inner.open(device);
        return new Probe(hw);
    }

    private final class Probe implements HwQueue.Interruptible, HwQueue.FreeThreaded, HwQueue.CommandThreads {
        private final HwQueue.Interruptible hw;

        Probe(HwQueue.Interruptible hw) {
            this.hw = hw;
        }

        @Override
        public void accept(HwCommand command) {
            hw.accept(command);
        }

        @Override
        public void launch(HwCommand command) {
            launchedBy.put(command, Thread.currentThread());
            hw.launch(command);
        }

        @Override
        public SyncPoint record() {
            SyncPoint point = hw.record();
            recorded.add(point);
            return point;
        }

        @Override
        public void synchronize() throws InterruptedException {
            hw.synchronize();
        }

        @Override
        public void deactivate() {
            hw.deactivate();
        }

        @Override
        public void reactivate(List<HwCommand> log) {
            hw.reactivate(log);
        }

        @Override
        public void interrupt() {
            hw.interrupt();
        }

        @Override
        public void restore(List<HwCommand> log) {
            hw.restore(log);
        }

        @Override
        public boolean runsCommandsOn(Thread thread) {
            return ((HwQueue.CommandThreads) hw).runsCommandsOn(thread);
        }

        @Override
        public void close() {
            hw.close();
        }
    }
}
