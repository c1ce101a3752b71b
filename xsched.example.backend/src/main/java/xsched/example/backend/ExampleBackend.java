package xsched.example.backend;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.osgi.service.component.annotations.Component;
import xsched.api.DeviceKind;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;
import xsched.spi.hal.BackendProperties;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * A vendor backend written against the exported SPI alone (the example of docs/backends.md): one
 * "loopback ASIC" whose queues run {@link Command}s in order on a thread of their own. Level 1.
 * A DS component: its bundle registers it as the {@link Backend} service when started, with the
 * service properties of {@link BackendProperties}, and withdraws it when stopped.
 */
@Component(service = Backend.class)
@BackendProperties(platform = ExampleBackend.PLATFORM, preempt_level_max = 1)
public final class ExampleBackend implements Backend {
    /** The platform name, and the prefix of the device id {@code example:0}. */
    public static final String PLATFORM = "example";

    /**
     * What this backend's queues run.
     *
     * @param body the work, run on the device's thread
     */
    public record Command(Runnable body) implements HwCommand {
    }

    private final XpuDevice device;

    /** For DS: a well-formed backend. */
    public ExampleBackend() {
        this(PLATFORM);
    }

    /**
     * @param platformOfDevice the platform its device claims; anything but {@link #PLATFORM} makes
     *                         a malformed backend, which the runtime must refuse
     */
    public ExampleBackend(String platformOfDevice) {
        device = new XpuDevice(PLATFORM + ":0", platformOfDevice, DeviceKind.ASIC, "loopback ASIC", PreemptLevel.LAUNCH);
    }

    @Override
    public String platform() {
        return PLATFORM;
    }

    @Override
    public List<XpuDevice> devices() {
        return List.of(device);
    }

    @Override
    public HwQueue open(XpuDevice d) {
        if (!d.equals(device)) {
            throw new IllegalArgumentException(d.id() + " is not a device of the example backend");
        }
        return new LoopbackQueue();
    }

    @Override
    public int rank() {
        return -1;
    }

    /** Runs commands in launch order on one thread; a sync point is a marker task behind them. */
    private static final class LoopbackQueue implements HwQueue {
        private final ExecutorService engine = Executors.newSingleThreadExecutor();

        @Override
        public void accept(HwCommand command) {
            if (!(command instanceof Command)) {
                throw new IllegalArgumentException("the example backend runs ExampleBackend.Command, not " + command.getClass().getName());
            }
        }

        @Override
        public void launch(HwCommand command) {
            engine.execute(((Command) command).body());
        }

        @Override
        public SyncPoint record() {
            CompletableFuture<Void> marker = CompletableFuture.runAsync(() -> { }, engine);
            return new SyncPoint() {
                @Override
                public boolean reached() {
                    return marker.isDone();
                }

                @Override
                public boolean await() throws InterruptedException {
                    try {
                        marker.get();
                        return true;
                    } catch (ExecutionException e) {
                        throw new IllegalStateException(e.getCause());
                    }
                }
            };
        }

        @Override
        public void synchronize() throws InterruptedException {
            record().await();
        }

        @Override
        public void close() {
            engine.shutdown();
        }
    }
}
