package xsched.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.backend.cuda.internal.DeviceConnections;
import xsched.backend.cuda.internal.GateBudget;
import xsched.backend.cuda.internal.GateProbe;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaLibrary;
import xsched.backend.cuda.internal.ffm.CudaNative;
import xsched.backend.support.VendorLibrary;

/**
 * The CUDA driver in this process: opened, it initializes the driver, finds the GPUs and retains
 * each one's primary context. An application embedding xsched opens its own and closes it:
 *
 * <pre>{@code
 * try (CudaPlatform cuda = CudaPlatform.open()) {
 *     runtime.addBackend(CudaBackends.over(cuda));   // xsched.backend.cuda.embed
 *     XQueue q = runtime.createQueue("cuda:0", QueueOptions.defaults());
 *     ...
 * }
 * }</pre>
 *
 * <p>Lifetime: a platform ends in one of two ways.
 *
 * <ul>
 *   <li>{@link #close()} releases everything created through it — queues, modules, buffers,
 *       pinned memory, events — and then its retain of each primary context. For a platform the
 *       application opened itself.
 *   <li>{@link #retire()} hands the GPUs over to a successor platform, as the OSGi backend
 *       component does when it is deactivated (its bundle is stopped or updated, or its
 *       configuration changes): xsched's own objects (the hardware queues, their streams and
 *       pooled events) are closed, but the application's resources stay valid and usable, and each
 *       GPU keeps its primary context retained until the last of its application resources is
 *       closed. Several platforms may be open in one process; they share each device's primary
 *       context, so module handles, device pointers and events made through one are valid on the
 *       queues of another, and commands built with a retired platform's objects run on the new
 *       platform's queues of the same device.
 * </ul>
 *
 * Retired or closed, a platform's GPUs make no new queues or resources ({@link CudaGpu}).
 */
public final class CudaPlatform implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CudaPlatform.class);

    private final int driverVersion;
    private final HostWait wait;
    private final String library;
    private final List<CudaGpu> gpus;
    private final int connections;
    private boolean retired;
    private boolean closed;

    private CudaPlatform(int driverVersion, HostWait wait, String library, List<CudaGpu> gpus, int connections) {
        this.connections = connections;
        this.driverVersion = driverVersion;
        this.wait = wait;
        this.library = library;
        this.gpus = List.copyOf(gpus);
    }

    /**
     * Like {@link #open(HostWait)} with the mode of the {@value HostWait#PROPERTY} system property.
     *
     * @return the platform, with at least one GPU
     * @throws CudaUnavailableException when the library cannot be loaded, {@code cuInit} fails or
     *                                  there is no GPU; the message says which
     * @throws IllegalArgumentException when the property names no mode
     */
    public static CudaPlatform open() throws CudaUnavailableException {
        return open(HostWait.fromSystemProperty());
    }

    /**
     * Loads {@code libcuda.so.1}, sets {@code CUDA_DEVICE_MAX_CONNECTIONS} to 32 where it is unset
     * (level 2 needs spare hardware connections; see the README), calls {@code cuInit}, sets each
     * GPU's host wait mode, retains its primary context and probes its stream memory operations
     * (level 2).
     *
     * @param wait how threads wait for the GPU
     * @return the platform, with at least one GPU
     * @throws CudaUnavailableException when the library cannot be loaded, {@code cuInit} fails or
     *                                  there is no GPU; the message says which
     */
    public static CudaPlatform open(HostWait wait) throws CudaUnavailableException {
        java.util.Objects.requireNonNull(wait, "wait");
        VendorLibrary lib = CudaNative.library();
        if (!lib.present()) {
            throw new CudaUnavailableException(lib.absentReason().orElse("the CUDA driver library is absent"), null);
        }
        int connections = DeviceConnections.ensure();
        int version;
        int count;
        try {
            CudaDriver.init();
            version = CudaDriver.driverVersion();
            count = CudaDriver.deviceCount();
        } catch (CudaException e) {
            String why = e.code() == CudaNative.CUDA_ERROR_NO_DEVICE ? "no CUDA device was found (" + e.getMessage() + ")"
                    : "the CUDA driver could not be initialized: " + e.getMessage();
            throw new CudaUnavailableException(why, e);
        } catch (UnsupportedOperationException e) {
            throw new CudaUnavailableException(e.getMessage(), e);
        }
        if (count < 1) {
            throw new CudaUnavailableException("no CUDA device was found (cuDeviceGetCount returned " + count + ")", null);
        }
        List<CudaGpu> gpus = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int ordinal = 0; ordinal < count; ordinal++) {
            try {
                gpus.add(openGpu(ordinal, wait));
            } catch (CudaException e) {
                LOG.warn("CUDA device {} skipped: {}", ordinal, e.getMessage());
                skipped.add(ordinal + ": " + e.getMessage());
            }
        }
        if (gpus.isEmpty()) {
            throw new CudaUnavailableException("no CUDA device could be opened (" + String.join("; ", skipped) + ")", null);
        }
        return new CudaPlatform(version, wait, lib.source().orElse(CudaLibrary.SONAME), gpus, connections);
    }

    private static CudaGpu openGpu(int ordinal, HostWait wait) {
        int device = CudaDriver.device(ordinal);
        if (wait != HostWait.AUTO) {
            try {
                CudaDriver.primaryContextSetFlags(device, wait.flag());
            } catch (CudaException e) {
                LOG.warn("cuda:{}: host wait {} not applied, the driver keeps its own: {}", ordinal, wait, e.getMessage());
            }
        }
        String name = CudaDriver.deviceName(device);
        int major = CudaDriver.deviceAttribute(device, CudaNative.ATTR_COMPUTE_CAPABILITY_MAJOR);
        int minor = CudaDriver.deviceAttribute(device, CudaNative.ATTR_COMPUTE_CAPABILITY_MINOR);
        int sms = CudaDriver.deviceAttribute(device, CudaNative.ATTR_MULTIPROCESSOR_COUNT);
        long memory = CudaDriver.deviceTotalMemory(device);
        long context = CudaDriver.primaryContextRetain(device);
        String noGate;
        try {
            noGate = GateProbe.unsupportedReason(context).orElse(null);
        } catch (RuntimeException e) {
            noGate = "the stream memory probe failed: " + e.getMessage();
        }
        if (noGate != null) {
            LOG.info("cuda:{}: level 1 only: {}", ordinal, noGate);
        }
        return new CudaGpu(ordinal, device, context, name, major, minor, sms, memory, wait, noGate);
    }

    /** @return the driver's CUDA version, e.g. 13000 for 13.0 */
    public int driverVersion() {
        return driverVersion;
    }

    /** @return how threads wait for the GPUs */
    public HostWait hostWait() {
        return wait;
    }

    /**
     * @return the hardware connections per context ({@code CUDA_DEVICE_MAX_CONNECTIONS} as the
     *         environment had it when this platform opened; 8 when unset)
     */
    public int connections() {
        return connections;
    }

    /** @return how many gated queues of one context may be stopped behind a closed gate at once */
    public int gateBudget() {
        return GateBudget.budgetFor(connections);
    }

    /** @return the GPUs, {@code cuda:0} first */
    public List<CudaGpu> gpus() {
        return gpus;
    }

    /** @param ordinal a CUDA device ordinal @return that GPU */
    public CudaGpu gpu(int ordinal) {
        if (ordinal < 0 || ordinal >= gpus.size()) {
            throw new IllegalArgumentException("no GPU " + ordinal + "; this platform has cuda:0…cuda:" + (gpus.size() - 1));
        }
        return gpus.get(ordinal);
    }

    /** @param deviceId an xsched device id such as {@code cuda:0} @return that GPU, if present */
    public Optional<CudaGpu> gpu(String deviceId) {
        return gpus.stream().filter(g -> g.id().equals(deviceId)).findFirst();
    }

    /** @return e.g. "CUDA 13.0 (libcuda.so.1, host wait auto, 32 connections per context, gate budget 15): cuda:0 (NVIDIA H100 80GB HBM3, sm_90, 132 SMs) Lv2" */
    public String describe() {
        return "CUDA " + driverVersion / 1000 + "." + driverVersion % 1000 / 10 + " (" + library + ", host wait "
                + wait.name().toLowerCase(java.util.Locale.ROOT) + ", " + connections + " connections per context, gate budget "
                + gateBudget() + "): " + String.join(", ", gpus.stream().map(g -> g + " Lv" + g.device().maxLevel().number()).toList());
    }

    /**
     * Hands the GPUs over to a successor: closes the hardware queues opened here (commands they
     * launched are waited for) and makes nothing new from now on, while the application's buffers,
     * modules and events stay usable; each GPU releases its primary context when the last of them
     * is closed, or now if there are none. Idempotent; nothing once closed.
     */
    public void retire() {
        synchronized (this) {
            if (retired || closed) {
                return;
            }
            retired = true;
        }
        gpus.forEach(CudaGpu::retire);
    }

    /**
     * Closes every queue, module, buffer and event created here and releases the primary contexts
     * still retained; after {@link #retire()} it closes what the application left open. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        gpus.forEach(CudaGpu::close);
    }

    @Override
    public String toString() {
        return describe();
    }
}
