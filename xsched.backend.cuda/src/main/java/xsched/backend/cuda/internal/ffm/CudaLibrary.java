package xsched.backend.cuda.internal.ffm;

import java.util.List;
import xsched.backend.support.VendorLibrary;

/** Where the CUDA driver library is and how to open it, or say why it cannot ({@link VendorLibrary}). */
public final class CudaLibrary {
    /** The soname the driver installs. */
    public static final String SONAME = "libcuda.so.1";

    /** System property naming another library file to load instead (a path or a soname). */
    public static final String PATH_PROPERTY = "xsched.cuda.library";

    /** The driver's soname and where drivers put it when the dynamic loader's search path does not list it. */
    public static final VendorLibrary.Spec SPEC = new VendorLibrary.Spec(SONAME, PATH_PROPERTY, List.of(
            "/usr/lib/x86_64-linux-gnu/libcuda.so.1",
            "/usr/lib/aarch64-linux-gnu/libcuda.so.1",
            "/usr/lib64/libcuda.so.1",
            "/usr/local/nvidia/lib64/libcuda.so.1",
            "/usr/lib/wsl/lib/libcuda.so.1"),
            "cuInit", "the CUDA driver library", "a CUDA driver", "");

    private static final class Default {
        static final VendorLibrary INSTANCE = SPEC.open();
    }

    private CudaLibrary() {
    }

    /** @return the library this process uses, opened on first call */
    public static VendorLibrary system() {
        return Default.INSTANCE;
    }

    /**
     * Tries each candidate in turn; the first that opens and exports {@code cuInit} wins.
     *
     * @param candidates sonames or paths
     * @return the opened library, or an absent one carrying the reason
     */
    public static VendorLibrary open(List<String> candidates) {
        return SPEC.open(candidates);
    }
}
