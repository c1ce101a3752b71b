package xsched.backend.cuda.internal;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.CudaPlatform;
import xsched.backend.cuda.CudaUnavailableException;
import xsched.backend.cuda.HostWait;
import xsched.backend.cuda.QueueAccess;
import xsched.backend.cuda.internal.green.GreenSplit;
import xsched.backend.cuda.internal.green.SmPartitioning;
import xsched.backend.cuda.internal.green.SmPartitions;
import xsched.backend.support.ServiceRegistrations;
import xsched.spi.hal.Backend;
import xsched.spi.hal.BackendProperties;
import xsched.spi.hal.DevicePartition;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.PartitionSplit;
import xsched.spi.hal.PartitionSupport;

/**
 * The CUDA backend, devices {@code cuda:0}, {@code cuda:1}, …: level 2 by stream gates ({@link
 * GatedStreamQueue}) on GPUs whose driver supports stream memory operations, level 1 ({@link
 * StreamQueue}) on the others or when gates are turned off ({@link Config#gate()}, system property
 * {@value #GATE_PROPERTY}).
 *
 * <p>The service property {@code xsched.preempt.level.max} is computed at activation from the
 * GPUs found (the highest level of any, as {@link Backend#PREEMPT_LEVEL_MAX} defines it) and
 * replaces the static value of the {@link BackendProperties} annotation, which can only state the
 * most this backend ever offers (2): the annotation is compile-time, the GPUs are not.
 *
 * <p>As a DS component it is immediate and registers nothing by itself: activation opens the
 * driver and, only if GPUs are found, registers itself as the {@link Backend} service (with the
 * {@link BackendProperties} below) and each GPU as a {@link CudaGpu} service for applications.
 * Where the driver or a GPU is absent it logs why, once, and stays unregistered, so the runtime
 * never sees a backend without devices. Deactivation unregisters the services and {@linkplain
 * CudaPlatform#retire() retires} the platform: the hardware queues it opened are closed, while the
 * buffers, modules and events applications made through its GPUs stay usable, in the primary
 * context each GPU keeps retained until the last of them is closed. So when the backend is
 * replaced (bundle stopped and started, updated, reconfigured) the queues the core moves to the
 * next backend still find their device state, and commands built with this backend's objects run
 * there.
 *
 * <p>Embedded without OSGi, {@code xsched.backend.cuda.embed.CudaBackends.over(platform)} returns
 * one over an open platform.
 */
@Component(service = {}, immediate = true, configurationPid = "xsched.backend.cuda")
@BackendProperties(platform = "cuda", preempt_level_max = 2)
@Designate(ocd = CudaBackend.Config.class)
public final class CudaBackend implements Backend.Partitioned, AutoCloseable {
    /** CUDA backend configuration. */
    @ObjectClassDefinition(name = "xsched CUDA backend", description = "NVIDIA GPUs through the CUDA driver API")
    public @interface Config {
        /** @return the host wait mode */
        @AttributeDefinition(name = "Host wait", description = "How launch workers wait for the GPU: auto (the driver's "
                + "choice), spin (fastest, a CPU core per waiting worker), yield, or blocking (least CPU, adds a wake-up)")
        String host_wait() default "auto";

        /** @return whether queues are gated (level 2) where the GPU supports it */
        @AttributeDefinition(name = "Stream gates (level 2)", description = "Gate each queue's batches on the GPU so a "
                + "suspended queue's launched work is held there (level 2); false gives every queue level 1. Held queues are "
                + "capped per context by CUDA_DEVICE_MAX_CONNECTIONS / 2 - 1")
        boolean gate() default true;
    }

    /** System property for an embedded backend: {@code false} turns stream gates off (level 1 queues). */
    public static final String GATE_PROPERTY = "xsched.cuda.gate";

    /** Service property on each {@link CudaGpu} service: its xsched device id. */
    public static final String DEVICE_ID = "xsched.device.id";

    /** Rank among platforms: above the host CPU's 0, so the runtime prefers a GPU. */
    public static final int RANK = 100;

    private static final Logger LOG = LoggerFactory.getLogger(CudaBackend.class);

    private volatile CudaPlatform platform;
    private volatile boolean gate;
    private final boolean ownsPlatform;
    private final ServiceRegistrations registrations = new ServiceRegistrations();
    private final Map<String, SmPartitions> partitionProbes = new ConcurrentHashMap<>();
    private final Set<GreenSplit> splits = ConcurrentHashMap.newKeySet();

    /** For DS: {@link #activate} opens the platform. */
    public CudaBackend() {
        ownsPlatform = true;
    }

    /**
     * For embedding: a backend over a platform the caller opened and closes, with stream gates
     * unless the system property {@value #GATE_PROPERTY} is {@code false}.
     *
     * @param platform an open platform
     */
    public CudaBackend(CudaPlatform platform) {
        this(platform, !"false".equalsIgnoreCase(System.getProperty(GATE_PROPERTY, "true").strip()));
    }

    /**
     * For embedding: a backend over a platform the caller opened and closes.
     *
     * @param platform an open platform
     * @param gate     whether queues are gated (level 2) on GPUs that support it; false gives level 1
     */
    public CudaBackend(CudaPlatform platform, boolean gate) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.gate = gate;
        ownsPlatform = false;
    }

    @Activate
    void activate(BundleContext context, Config config, Map<String, Object> properties) {
        HostWait wait;
        try {
            wait = HostWait.parse(config.host_wait());
        } catch (IllegalArgumentException e) {
            LOG.error("CUDA backend: {}; using auto", e.getMessage());
            wait = HostWait.AUTO;
        }
        CudaPlatform opened;
        try {
            opened = CudaPlatform.open(wait);
        } catch (CudaUnavailableException e) {
            LOG.info("CUDA backend not registered: {}", e.getMessage());
            return;
        }
        gate = config.gate();
        platform = opened;
        LOG.info("CUDA backend: {}; {}", opened.describe(), describeGates());
        Hashtable<String, Object> backendProps = new Hashtable<>();
        properties.forEach((key, value) -> {
            if (key.startsWith("xsched.")) {
                backendProps.put(key, value);
            }
        });
        backendProps.put(Backend.PREEMPT_LEVEL_MAX, devices().stream().mapToInt(d -> d.maxLevel().number()).max().orElse(1));
        synchronized (registrations) {
            registrations.register(context, Backend.class, this, backendProps);
            for (CudaGpu gpu : opened.gpus()) {
                Hashtable<String, Object> gpuProps = new Hashtable<>();
                gpuProps.put(DEVICE_ID, gpu.id());
                gpuProps.put(Backend.PLATFORM, "cuda");
                registrations.register(context, CudaGpu.class, gpu, gpuProps);
            }
        }
    }

    /** @return whether activation found GPUs and registered the services */
    public boolean registered() {
        return registrations.any();
    }

    /**
     * Unregisters the services and, when this backend opened the platform, retires it (see the
     * class comment); an embedding application's platform is left as it is.
     */
    @Override
    @Deactivate
    public void close() {
        registrations.unregisterAll();
        CudaPlatform p = platform;
        platform = null;
        if (p != null && ownsPlatform) {
            p.retire();
        }
    }

    @Override
    public String platform() {
        return "cuda";
    }

    @Override
    public List<XpuDevice> devices() {
        CudaPlatform p = platform;
        return p == null ? List.of() : p.gpus().stream().map(this::device).toList();
    }

    private XpuDevice device(CudaGpu gpu) {
        XpuDevice d = gpu.device();
        return gatedOn(gpu) ? d : new XpuDevice(d.id(), d.platform(), d.kind(), d.name(), PreemptLevel.LAUNCH);
    }

    private boolean gatedOn(CudaGpu gpu) {
        return gate && QueueAccess.gateSupport(gpu);
    }

    /** @return whether queues are gated (level 2) where the GPU supports it */
    public boolean gated() {
        return gate;
    }

    /**
     * @return the gates in words, e.g. "stream gates on (Lv2), 32 connections per context, gate budget 15
     *         per context: cuda:0 closed 0, peak 3, 0 fallbacks to Lv1; 0 guarded launches relaunched"
     */
    public String describeGates() {
        CudaPlatform p = platform;
        if (p == null) {
            return "not active";
        }
        if (!gate) {
            return "stream gates off (Lv1 queues)";
        }
        StringBuilder text = new StringBuilder("stream gates on (Lv2), " + p.connections() + " connections per context, gate budget "
                + p.gateBudget() + " per context:");
        for (CudaGpu gpu : p.gpus()) {
            text.append(' ').append(gpu.id());
            if (QueueAccess.gateSupport(gpu)) {
                GateBudget budget = GateControl.budget(QueueAccess.context(gpu), p.connections());
                text.append(" closed ").append(budget.closed()).append(", peak ").append(budget.peak()).append(", ")
                        .append(budget.fallbacks()).append(" fallbacks to Lv1");
            } else {
                text.append(" Lv1 only (").append(gpu.gateUnsupportedReason().orElse("")).append(')');
            }
        }
        return text.append("; ").append(GatedStreamQueue.relaunchesInProcess()).append(" guarded launches relaunched").toString();
    }

    @Override
    public HwQueue open(XpuDevice device) {
        CudaGpu gpu = gpu(device);
        return gatedOn(gpu) ? GatedStreamQueue.open(gpu, 0) : StreamQueue.open(gpu, 0);
    }

    @Override
    public int rank() {
        return RANK;
    }

    /** Green contexts: the device's SM resource, read once per GPU (the scheduler thread asks often). */
    @Override
    public PartitionSupport partitions(XpuDevice device) {
        CudaPlatform p = platform;
        Optional<CudaGpu> gpu = p == null ? Optional.empty() : p.gpu(device.id());
        if (gpu.isEmpty()) {
            return PartitionSupport.unsupported(p == null ? "the CUDA backend is not active" : device.id() + " is not a GPU of this backend");
        }
        SmPartitions probe = probe(gpu.get());
        return probe.granularity().map(g -> PartitionSupport.supported(g.smCount(), "SM", g.minPartition(), g.alignment()))
                .orElseGet(() -> PartitionSupport.unsupported(probe.unsupportedReason().orElse("green contexts unsupported")));
    }

    @Override
    public PartitionSplit split(XpuDevice device, int computeUnits) {
        CudaGpu gpu = gpu(device);
        SmPartitions probe = probe(gpu);
        SmPartitioning partitioning = probe.open(computeUnits).orElseThrow(() -> new IllegalArgumentException(
                device.id() + " cannot be split: " + probe.unsupportedReason().orElse("green contexts unsupported")));
        GreenSplit split = new GreenSplit(gpu, partitioning, splits::remove);
        splits.add(split);
        return split;
    }

    /** A queue on a side of a split gets a stream of its own there, and the device's level (gated where supported). */
    @Override
    public HwQueue open(XpuDevice device, DevicePartition partition) {
        CudaGpu gpu = gpu(device);
        if (!(partition instanceof GreenSplit.Side side) || !splits.contains(side.split()) || side.split().gpu() != gpu) {
            throw new IllegalArgumentException(partition + " is not an open partition of " + device.id() + " made by this backend");
        }
        long stream = side.split().newStream(side);
        if (!gatedOn(gpu)) {
            return StreamQueue.onPartition(gpu, stream); // it owns the stream now, also when it fails
        }
        long relaunch;
        try {
            relaunch = side.split().newStream(side);
        } catch (RuntimeException e) {
            throw HandedStreams.destroy(e, stream);
        }
        return GatedStreamQueue.onPartition(gpu, stream, relaunch);
    }

    private SmPartitions probe(CudaGpu gpu) {
        return partitionProbes.computeIfAbsent(gpu.id(), id -> {
            try {
                return SmPartitions.probe(gpu);
            } catch (RuntimeException e) {
                LOG.info("{}: SM partitions unavailable: {}", id, e.getMessage());
                return SmPartitions.unsupported(gpu.ordinal(), e.getMessage());
            }
        });
    }

    private CudaGpu gpu(XpuDevice device) {
        Objects.requireNonNull(device, "device");
        CudaPlatform p = platform;
        if (p == null) {
            throw new IllegalStateException("the CUDA backend is not active");
        }
        return p.gpu(device.id()).orElseThrow(() -> new IllegalArgumentException(
                "device " + device.id() + " is not a GPU of this CUDA backend; it has "
                        + p.gpus().stream().map(CudaGpu::id).toList()));
    }
}
