package xsched.backend.cuda;

import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * How a host thread waits for the GPU (the primary context's {@code CU_CTX_SCHED_*} flag): what
 * a launch worker does while it waits on a sync point. Spinning reacts fastest and costs a CPU
 * core per waiting thread; blocking costs almost no CPU and adds a wake-up (tens of
 * microseconds). Chosen when the platform opens, for every GPU; {@link #AUTO} leaves the
 * driver's choice (spin while there are fewer contexts than cores).
 */
public enum HostWait {
    /** The driver's heuristic ({@code CU_CTX_SCHED_AUTO}); the flag is left untouched. */
    AUTO(0x0),
    /** Spin ({@code CU_CTX_SCHED_SPIN}). */
    SPIN(0x1),
    /** Spin, yielding the CPU between checks ({@code CU_CTX_SCHED_YIELD}). */
    YIELD(0x2),
    /** Block on an OS primitive ({@code CU_CTX_SCHED_BLOCKING_SYNC}). */
    BLOCKING(0x4);

    /** System property read by {@link CudaPlatform#open()}: auto, spin, yield or blocking. */
    public static final String PROPERTY = "xsched.cuda.wait";

    /**
     * System property: {@code blocking} makes the queues' sync-point events block a thread that
     * waits on them ({@code CU_EVENT_BLOCKING_SYNC}) whatever the context's mode, so a launch worker
     * waiting for the oldest point sleeps instead of spinning in the driver; {@code spin} (the
     * default) leaves them to the mode. For a program under {@code xsched run}, whose context's mode
     * is the program's own.
     */
    public static final String POINT_PROPERTY = "xsched.cuda.pointWait";
    private static final boolean POINTS_BLOCK = pointsBlockOrSpin(System.getProperty(POINT_PROPERTY));

    private final int flag;

    HostWait(int flag) {
        this.flag = flag;
    }

    /** @return the {@code CU_CTX_SCHED_*} flag */
    public int flag() {
        return flag;
    }

    /**
     * @param text auto, spin, yield or blocking, in any case
     * @return the mode
     * @throws IllegalArgumentException naming the accepted values
     */
    public static HostWait parse(String text) {
        String t = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        for (HostWait w : values()) {
            if (w.name().equals(t)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown host wait mode '" + text + "'; use auto, spin, yield or blocking");
    }

    /** @return whether {@value #POINT_PROPERTY} asked for sync-point events that block their waiters */
    static boolean pointsBlock() {
        return POINTS_BLOCK;
    }

    private static boolean pointsBlockOrSpin(String value) {
        try {
            return pointsBlockFrom(value);
        } catch (IllegalArgumentException e) {
            LoggerFactory.getLogger(HostWait.class).warn("{}; the sync-point events spin", e.getMessage());
            return false;
        }
    }

    /**
     * @param value the property's value: spin, blocking, or null/blank for spin
     * @return whether it asks for blocking sync-point events
     * @throws IllegalArgumentException for another value, naming the accepted ones
     */
    static boolean pointsBlockFrom(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "spin" -> false;
            case "blocking" -> true;
            default -> throw new IllegalArgumentException(POINT_PROPERTY + ": unknown value '" + value + "'; use spin or blocking");
        };
    }

    /** @return the mode named by the {@value #PROPERTY} system property, {@link #AUTO} when unset */
    public static HostWait fromSystemProperty() {
        String value = System.getProperty(PROPERTY);
        return value == null || value.isBlank() ? AUTO : parse(value);
    }
}
