package xsched.run.agent;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import xsched.api.DeviceKind;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.backend.cuda.embed.OwnerThread;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * A stand-in for the CUDA backend's queues over per-thread default streams, on the host: one
 * device, {@value #DEVICE}, whose queues launch every command through their {@link OwnerThread}
 * (as {@code PerThreadStreamQueue} does) and remember which thread asked for each launch. A
 * command is done once launched, so every sync point is reached.
 */
final class OwnerThreadBackend implements Backend {
    static final String DEVICE = "owned:0";
    private static final XpuDevice THE_DEVICE = new XpuDevice(DEVICE, "owned", DeviceKind.GPU, "owner-thread stand-in",
            PreemptLevel.LAUNCH);

    private final AtomicReference<OwnerThread> next = new AtomicReference<>();
    private final List<Thread> launchedFrom = new CopyOnWriteArrayList<>();

    /** A command that makes one call when launched. */
    static final class Call implements HwCommand {
        private final NativeCall call;
        private volatile int result = AdoptedStream.NOT_LAUNCHED;

        Call(NativeCall call) {
            this.call = call;
        }

        int result() {
            return result;
        }

        @Override
        public String describe() {
            return "a call of the owner";
        }
    }

    /** @return the threads that asked a queue of this backend to launch, in order */
    List<Thread> launchedFrom() {
        return launchedFrom;
    }

    /** The next queue opened belongs to {@code owner}. */
    void nextOwner(OwnerThread owner) {
        next.set(Objects.requireNonNull(owner, "owner"));
    }

    @Override
    public String platform() {
        return "owned";
    }

    @Override
    public List<XpuDevice> devices() {
        return List.of(THE_DEVICE);
    }

    @Override
    public HwQueue open(XpuDevice device) {
        OwnerThread owner = next.getAndSet(null);
        if (owner == null) {
            throw new IllegalStateException("no owner thread was named for this queue");
        }
        return new OwnedQueue(owner, launchedFrom);
    }

    private record OwnedQueue(OwnerThread owner, List<Thread> launchedFrom) implements HwQueue.FreeThreaded {
        @Override
        public void accept(HwCommand command) {
            if (!(command instanceof Call)) {
                throw new IllegalArgumentException("not a call: " + command.describe());
            }
        }

        @Override
        public void launch(HwCommand command) {
            Call c = (Call) command;
            launchedFrom.add(Thread.currentThread());
            owner.run(() -> c.result = c.call.callChecked());
        }

        @Override
        public SyncPoint record() {
            return new SyncPoint() {
                @Override
                public boolean reached() {
                    return true;
                }

                @Override
                public boolean await() {
                    return true;
                }
            };
        }

        @Override
        public void synchronize() {
        }

        @Override
        public void close() {
        }
    }
}
