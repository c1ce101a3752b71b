package xsched.backend.cuda.internal.green;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import xsched.backend.cuda.CudaException;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.internal.ffm.CudaDevResource;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaGreenContexts;

/**
 * Whether one device's SMs can be partitioned with green contexts, at what granularity, and the
 * way to do it ({@link #open(int)}). Green contexts are a capability, not a requirement: where the
 * driver library is absent, does not export the entry points (before CUDA 12.5), or answers
 * {@code CUDA_ERROR_NOT_SUPPORTED} or {@code CUDA_ERROR_INVALID_RESOURCE_TYPE}, the device is
 * "unsupported, because …" and {@link #open(int)} gives nothing; nothing throws for that.
 *
 * <p>Once supported, a device turns unsupported only if the driver refuses a green context as
 * not supported when one is created; never the other way. Thread-safe.
 */
public final class SmPartitions {
    private static final String UNSUPPORTED = "green contexts unsupported because ";

    private final int device;
    private final SmGranularity granularity;
    private volatile String unsupported;

    private SmPartitions(int device, SmGranularity granularity, String unsupported) {
        this.device = device;
        this.granularity = granularity;
        this.unsupported = unsupported;
    }

    /**
     * @param device a {@code CUdevice}
     * @param reason why its SMs cannot be partitioned (e.g. the probe failed)
     * @return a device without partitions
     */
    public static SmPartitions unsupported(int device, String reason) {
        return new SmPartitions(device, null, UNSUPPORTED + reason);
    }

    /**
     * @param gpu an open GPU
     * @return what its device supports
     */
    public static SmPartitions probe(CudaGpu gpu) {
        return probe(CudaDriver.device(gpu.ordinal()));
    }

    /**
     * Reads the device's SM resource: its SM count and, where the driver fills them, the minimum
     * partition and the alignment; else derives both from splits ({@link SmGranularity.Source}).
     *
     * @param device a {@code CUdevice} (the driver is initialized)
     * @return what the device supports
     * @throws CudaException for a driver error that does not mean "unsupported", e.g. a bad device
     */
    public static SmPartitions probe(int device) {
        Optional<String> missing = CudaGreenContexts.unsupportedReason();
        if (missing.isPresent()) {
            return new SmPartitions(device, null, UNSUPPORTED + missing.get());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment all = CudaDevResource.allocate(arena, 1);
            CudaGreenContexts.deviceSmResource(device, all);
            int type = CudaDevResource.type(all);
            int sms = CudaDevResource.smCount(all);
            if (type != CudaDevResource.TYPE_SM || sms < 1) {
                return new SmPartitions(device, null, UNSUPPORTED + "cuDeviceGetDevResource gave no SMs (type " + type
                        + ", " + sms + " SMs)");
            }
            int min = CudaDevResource.minSmPartitionSize(all);
            int alignment = CudaDevResource.smCoscheduledAlignment(all);
            SmGranularity granularity = min > 0 && alignment > 0
                    ? new SmGranularity(sms, min, alignment, SmGranularity.Source.DRIVER_FIELDS)
                    : SmGranularity.derive(sms, minCount -> smallestGroup(all, minCount));
            return new SmPartitions(device, granularity, null);
        } catch (CudaException e) {
            if (meansUnsupported(e)) {
                return new SmPartitions(device, null, UNSUPPORTED + e.getMessage());
            }
            throw e;
        }
    }

    /** A split that makes no group for {@code minCount} answers 0 or INVALID_RESOURCE_CONFIGURATION: both mean none. */
    private static int smallestGroup(MemorySegment all, int minCount) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment group = CudaDevResource.allocate(arena, 1);
            int made = CudaGreenContexts.splitByCount(group, 1, all, MemorySegment.NULL, minCount);
            return made < 1 ? 0 : CudaDevResource.smCount(group);
        } catch (CudaException e) {
            if (e.code() == CudaGreenContexts.CUDA_ERROR_INVALID_RESOURCE_CONFIGURATION) {
                return 0;
            }
            throw e;
        }
    }

    /**
     * @param e a driver error
     * @return whether it says that the device or platform has no green contexts, rather than a misuse
     */
    static boolean meansUnsupported(CudaException e) {
        return e.code() == CudaGreenContexts.CUDA_ERROR_NOT_SUPPORTED
                || e.code() == CudaGreenContexts.CUDA_ERROR_INVALID_RESOURCE_TYPE;
    }

    /** @return the {@code CUdevice} */
    public int device() {
        return device;
    }

    /** @return why the device's SMs cannot be partitioned, empty when they can */
    public Optional<String> unsupportedReason() {
        return Optional.ofNullable(unsupported);
    }

    /** @return the SM count, minimum partition and alignment, empty when unsupported */
    public Optional<SmGranularity> granularity() {
        return unsupported == null ? Optional.ofNullable(granularity) : Optional.empty();
    }

    /**
     * Reserves {@code smCount} SMs, rounded up to the granularity, and gives the rest to a second
     * partition (see {@link SmPartitioning}).
     *
     * @param smCount SMs to reserve, at least 1
     * @return the partitioning, empty when unsupported ({@link #unsupportedReason()} says why)
     * @throws IllegalArgumentException when {@code smCount} is below 1 or cannot be reserved on this device
     * @throws CudaException            when the driver fails for another reason
     */
    public Optional<SmPartitioning> open(int smCount) {
        if (smCount < 1) {
            throw new IllegalArgumentException("a partition needs at least 1 SM, not " + smCount);
        }
        SmGranularity g = granularity().orElse(null);
        if (g == null) {
            return Optional.empty();
        }
        g.reservable(smCount);
        try {
            return Optional.of(SmPartitioning.create(device, g, smCount));
        } catch (CudaException e) {
            if (meansUnsupported(e)) {
                unsupported = UNSUPPORTED + e.getMessage();
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return "SmPartitions[device " + device + ": " + granularity().map(g -> g.smCount() + " SMs in " + g.describe()
                + " (" + g.source() + ")").orElse(unsupported) + "]";
    }
}
