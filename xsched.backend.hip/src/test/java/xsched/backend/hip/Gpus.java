package xsched.backend.hip;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;

/**
 * The HIP platform of this test run, opened once: device tests call {@link #first()}, which skips
 * the test (a JUnit assumption) where there is no AMD GPU and says why once, and {@link
 * #kernels(HipDevice)}, which loads the committed code object built for the GPU's architecture.
 */
public final class Gpus {
    private static final Object LOCK = new Object();
    private static HipPlatform platform;
    private static String absent;

    private Gpus() {
    }

    /** @return the open platform, or skips the calling test */
    public static HipPlatform platform() {
        synchronized (LOCK) {
            if (platform == null && absent == null) {
                try {
                    platform = HipPlatform.open();
                    System.out.println("[hip tests] running on " + platform.describe());
                    platform.devices().forEach(d -> System.out.println("[hip tests]   " + d));
                } catch (HipUnavailableException e) {
                    absent = e.getMessage();
                    System.out.println("[hip tests] skipping device tests: " + absent);
                }
            }
            assumeTrue(platform != null, () -> "no AMD GPU: " + absent);
            return platform;
        }
    }

    /** @return the first GPU, or skips the calling test */
    public static HipDevice first() {
        return platform().devices().get(0);
    }

    /**
     * @return the test kernels ({@code src/test/hip/kernels.hip}) loaded on {@code device}: the first
     *         committed code object the runtime accepts for it; skips the test when none fits
     */
    public static HipModule kernels(HipDevice device) {
        List<String> refused = new ArrayList<>();
        for (String arch : TestObjects.ARCHS) {
            try {
                return device.module(TestObjects.codeObject(arch));
            } catch (IllegalArgumentException e) {
                refused.add(arch);
            }
        }
        assumeTrue(false, () -> device + " runs none of the committed code objects " + refused
                + "; add its architecture to src/test/hip/regenerate.sh");
        throw new AssertionError("unreachable");
    }
}
