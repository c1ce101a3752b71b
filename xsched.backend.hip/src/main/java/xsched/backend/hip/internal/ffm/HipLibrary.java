package xsched.backend.hip.internal.ffm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import xsched.backend.support.VendorLibrary;

/**
 * Where the HIP runtime {@code libamdhip64} is and how to open it, or say why it cannot ({@link
 * VendorLibrary}). ROCm 6 installs {@code libamdhip64.so.6}, ROCm 5 (Debian 12's {@code
 * libamdhip64-5}) {@code libamdhip64.so.5}; the unversioned name comes with development packages.
 * The runtime keeps threads and device state of its own, so it is never unloaded.
 */
public final class HipLibrary {
    /** The sonames tried, newest first. */
    public static final List<String> SONAMES = List.of("libamdhip64.so.6", "libamdhip64.so.5", "libamdhip64.so");

    /** System property naming another library file to load instead (a path or a soname). */
    public static final String PATH_PROPERTY = "xsched.hip.library";

    /** Where ROCm puts the runtime when the dynamic loader's search path does not list it. */
    public static final List<String> FALLBACKS = List.of(
            "/opt/rocm/lib/libamdhip64.so.6",
            "/opt/rocm/lib/libamdhip64.so.5",
            "/opt/rocm/lib/libamdhip64.so");

    /** The probe symbol and the words for the absent reason; the sonames are tried by {@link #candidates()}. */
    public static final VendorLibrary.Spec SPEC = new VendorLibrary.Spec(SONAMES.get(0), PATH_PROPERTY, FALLBACKS,
            "hipInit", "the HIP runtime (libamdhip64)", "a HIP runtime",
            "; install libamdhip64-5 (Debian 12) or ROCm's hip-runtime-amd");

    private static final class Default {
        static final VendorLibrary INSTANCE = SPEC.open(candidates());
    }

    private HipLibrary() {
    }

    /**
     * @return the file named by {@value #PATH_PROPERTY} alone, else every soname of {@link
     *         #SONAMES} in order, then the {@link #FALLBACKS} that exist
     */
    public static List<String> candidates() {
        String configured = System.getProperty(PATH_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return List.of(configured.strip());
        }
        List<String> names = new ArrayList<>(SONAMES);
        for (String path : FALLBACKS) {
            if (Files.exists(Path.of(path))) {
                names.add(path);
            }
        }
        return names;
    }

    /** @return the library this process uses, opened on first call */
    public static VendorLibrary system() {
        return Default.INSTANCE;
    }

    /**
     * Tries each candidate in turn; the first that opens and exports {@code hipInit} wins.
     *
     * @param candidates sonames or paths
     * @return the opened library, or an absent one carrying the reason
     */
    public static VendorLibrary open(List<String> candidates) {
        return SPEC.open(candidates);
    }
}
