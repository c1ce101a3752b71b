package xsched.backend.levelzero.internal.ze;

import java.util.List;
import xsched.backend.support.VendorLibrary;

/**
 * Where the Level Zero loader is and how to open it, or say why it cannot ({@link VendorLibrary}).
 * The loader loads the vendors' drivers ({@code libze_intel_gpu.so.1}, {@code libze_intel_vpu.so.1}),
 * which keep threads of their own, so it is never unloaded.
 */
public final class ZeLibrary {
    /** The soname the loader installs (Debian {@code libze1}). */
    public static final String SONAME = "libze_loader.so.1";

    /** System property naming another library file to load instead (a path or a soname). */
    public static final String PATH_PROPERTY = "xsched.levelzero.library";

    /** The loader's soname and where distributions and Intel's packages put it. */
    public static final VendorLibrary.Spec SPEC = new VendorLibrary.Spec(SONAME, PATH_PROPERTY, List.of(
            "/usr/lib/x86_64-linux-gnu/libze_loader.so.1",
            "/usr/lib64/libze_loader.so.1",
            "/usr/local/lib/libze_loader.so.1",
            "/opt/intel/oneapi/redist/lib/libze_loader.so.1"),
            "zeInit", "the Level Zero loader", "a Level Zero loader",
            "; install libze1 (Debian, Ubuntu) or level-zero, and a driver: intel-level-zero-gpu for GPUs, intel-driver-compiler-npu and intel-level-zero-npu for NPUs");

    private static final class Default {
        static final VendorLibrary INSTANCE = SPEC.open();
    }

    private ZeLibrary() {
    }

    /** @return the library this process uses, opened on first call */
    public static VendorLibrary system() {
        return Default.INSTANCE;
    }

    /**
     * Tries each candidate in turn; the first that opens and exports {@code zeInit} wins.
     *
     * @param candidates sonames or paths
     * @return the opened library, or an absent one carrying the reason
     */
    public static VendorLibrary open(List<String> candidates) {
        return SPEC.open(candidates);
    }
}
