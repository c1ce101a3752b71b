package xsched.bench;

import java.util.List;
import xsched.api.DeviceKind;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * A control for the submit benchmarks: a backend whose queues launch nothing and whose sync
 * points are reached when recorded. No device thread exists, so what remains is the XQueue, its
 * launch worker and the operating system's thread hand-off.
 */
final class StubBackend implements Backend {
    private static final SyncPoint REACHED = new SyncPoint() {
        @Override
        public boolean reached() {
            return true;
        }

        @Override
        public boolean await() {
            return true;
        }
    };

    private final XpuDevice device = new XpuDevice("stub:0", "stub", DeviceKind.CPU, "stub device", PreemptLevel.INTERRUPT);

    @Override
    public String platform() {
        return "stub";
    }

    @Override
    public List<XpuDevice> devices() {
        return List.of(device);
    }

    @Override
    public HwQueue open(XpuDevice d) {
        return new HwQueue.Interruptible() {
            @Override
            public void accept(HwCommand command) {
            }

            @Override
            public void launch(HwCommand command) {
            }

            @Override
            public SyncPoint record() {
                return REACHED;
            }

            @Override
            public void synchronize() {
            }

            @Override
            public void close() {
            }

            @Override
            public void deactivate() {
            }

            @Override
            public void reactivate(List<HwCommand> log) {
            }

            @Override
            public void interrupt() {
            }

            @Override
            public void restore(List<HwCommand> log) {
            }
        };
    }
}
