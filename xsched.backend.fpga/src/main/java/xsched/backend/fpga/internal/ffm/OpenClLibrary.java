package xsched.backend.fpga.internal.ffm;

import java.util.List;
import xsched.backend.support.VendorLibrary;

/**
 * Where the OpenCL ICD loader is and how to open it, or say why it cannot ({@link VendorLibrary}).
 * The loader and the vendor drivers it loads keep threads of their own (PoCL's worker pool), so it
 * is never unloaded.
 */
public final class OpenClLibrary {
    /** The soname the ICD loader installs (Debian {@code ocl-icd-libopencl1}). */
    public static final String SONAME = "libOpenCL.so.1";

    /** System property naming another library file to load instead (a path or a soname). */
    public static final String PATH_PROPERTY = "xsched.opencl.library";

    /** The loader's soname and where vendors put it. */
    public static final VendorLibrary.Spec SPEC = new VendorLibrary.Spec(SONAME, PATH_PROPERTY, List.of(
            "/usr/lib/x86_64-linux-gnu/libOpenCL.so.1",
            "/usr/lib/aarch64-linux-gnu/libOpenCL.so.1",
            "/usr/lib64/libOpenCL.so.1",
            "/opt/rocm/lib/libOpenCL.so.1",
            "/usr/local/cuda/lib64/libOpenCL.so.1"),
            "clGetPlatformIDs", "the OpenCL ICD loader", "an OpenCL library",
            "; install ocl-icd-libopencl1 and a driver such as pocl-opencl-icd");

    private static final class Default {
        static final VendorLibrary INSTANCE = SPEC.open();
    }

    private OpenClLibrary() {
    }

    /** @return the library this process uses, opened on first call */
    public static VendorLibrary system() {
        return Default.INSTANCE;
    }

    /**
     * Tries each candidate in turn; the first that opens and exports {@code clGetPlatformIDs} wins.
     *
     * @param candidates sonames or paths
     * @return the opened library, or an absent one carrying the reason
     */
    public static VendorLibrary open(List<String> candidates) {
        return SPEC.open(candidates);
    }
}
