package xsched.bench;

import java.util.ArrayList;
import java.util.List;
import xsched.api.DeviceKind;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * A level-1 backend whose commands run nothing and complete only when the benchmark
 * {@linkplain Held#release() releases} them. A queue holding an unreleased command stays READY
 * for as long as the benchmark wants, and one whose command is released turns IDLE through the
 * real completion path (sync point reached, launch worker, edge). Built against the SPI alone, as
 * any third-party backend would be.
 */
final class HeldBackend implements Backend {
    /** A command that completes when released. */
    static final class Held implements HwCommand {
        private boolean released;

        /** Completes the command; idempotent. */
        synchronized void release() {
            released = true;
            notifyAll();
        }

        synchronized boolean released() {
            return released;
        }

        synchronized void awaitRelease() throws InterruptedException {
            while (!released) {
                wait();
            }
        }
    }

    private final XpuDevice device = new XpuDevice("held:0", "held", DeviceKind.CPU, "commands held until released", PreemptLevel.LAUNCH);

    @Override
    public String platform() {
        return "held";
    }

    @Override
    public List<XpuDevice> devices() {
        return List.of(device);
    }

    @Override
    public HwQueue open(XpuDevice d) {
        return new HeldQueue();
    }

    /** Driven by one queue's launch worker (and, for submits that launch at once, its submitter), one call at a time. */
    private static final class HeldQueue implements HwQueue {
        private final List<Held> unreleased = new ArrayList<>();

        @Override
        public void accept(HwCommand command) {
            if (!(command instanceof Held)) {
                throw new IllegalArgumentException("a held queue runs HeldBackend.Held commands, not " + command.getClass().getName());
            }
        }

        @Override
        public synchronized void launch(HwCommand command) {
            unreleased.add((Held) command);
        }

        /** The point is reached once every command launched before it has been released. */
        @Override
        public synchronized SyncPoint record() {
            unreleased.removeIf(Held::released);
            List<Held> before = List.copyOf(unreleased);
            return new SyncPoint() {
                @Override
                public boolean reached() {
                    for (Held h : before) {
                        if (!h.released()) {
                            return false;
                        }
                    }
                    return true;
                }

                @Override
                public boolean await() throws InterruptedException {
                    for (Held h : before) {
                        h.awaitRelease();
                    }
                    return true;
                }
            };
        }

        @Override
        public void synchronize() throws InterruptedException {
            record().await();
        }

        @Override
        public void close() {
        }
    }
}
