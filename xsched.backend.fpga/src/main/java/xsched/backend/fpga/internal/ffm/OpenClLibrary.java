package xsched.backend.fpga.internal.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds and opens the OpenCL ICD loader, or says why it cannot. Opening never throws: a host
 * without OpenCL is a normal case, and the reason is reported once by whoever asks.
 *
 * <p>The library is opened in the global arena: the loader and the vendor drivers it loads keep
 * threads of their own (PoCL's worker pool), so unloading them while the process runs is never safe.
 */
public final class OpenClLibrary {
    /** The soname the ICD loader installs (Debian {@code ocl-icd-libopencl1}). */
    public static final String SONAME = "libOpenCL.so.1";

    /** System property naming another library file to load instead (a path or a soname). */
    public static final String PATH_PROPERTY = "xsched.opencl.library";

    private static final List<String> FALLBACKS = List.of(
            "/usr/lib/x86_64-linux-gnu/libOpenCL.so.1",
            "/usr/lib/aarch64-linux-gnu/libOpenCL.so.1",
            "/usr/lib64/libOpenCL.so.1",
            "/opt/rocm/lib/libOpenCL.so.1",
            "/usr/local/cuda/lib64/libOpenCL.so.1");

    private static final class Default {
        static final OpenClLibrary INSTANCE = open(candidates());
    }

    private final SymbolLookup lookup;
    private final String source;
    private final String absentReason;

    private OpenClLibrary(SymbolLookup lookup, String source, String absentReason) {
        this.lookup = lookup;
        this.source = source;
        this.absentReason = absentReason;
    }

    /** @return the library this process uses, opened on first call */
    public static OpenClLibrary system() {
        return Default.INSTANCE;
    }

    /**
     * Tries each candidate in turn; the first that opens and exports {@code clGetPlatformIDs} wins.
     *
     * @param candidates sonames or paths
     * @return the opened library, or an absent one carrying the reason
     */
    public static OpenClLibrary open(List<String> candidates) {
        Objects.requireNonNull(candidates, "candidates");
        List<String> failures = new ArrayList<>();
        for (String candidate : candidates) {
            SymbolLookup lookup;
            try {
                lookup = SymbolLookup.libraryLookup(candidate, Arena.global());
            } catch (IllegalArgumentException | IllegalCallerException e) {
                failures.add(candidate + ": " + e.getMessage());
                continue;
            }
            if (lookup.find("clGetPlatformIDs").isEmpty()) {
                failures.add(candidate + ": it does not export clGetPlatformIDs, so it is not an OpenCL library");
                continue;
            }
            return new OpenClLibrary(lookup, candidate, null);
        }
        String reason = candidates.isEmpty() ? "no library was named"
                : "the OpenCL ICD loader could not be loaded (" + String.join("; ", failures)
                + "); install ocl-icd-libopencl1 and a driver such as pocl-opencl-icd";
        return new OpenClLibrary(null, null, reason);
    }

    private static List<String> candidates() {
        String configured = System.getProperty(PATH_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return List.of(configured.strip());
        }
        List<String> names = new ArrayList<>();
        names.add(SONAME);
        for (String path : FALLBACKS) {
            if (Files.exists(Path.of(path))) {
                names.add(path);
            }
        }
        return names;
    }

    /** @return whether the library was opened */
    public boolean present() {
        return lookup != null;
    }

    /** @return why the library is absent, empty when present */
    public Optional<String> absentReason() {
        return Optional.ofNullable(absentReason);
    }

    /** @return the soname or path the library was opened from, empty when absent */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /**
     * @param name a symbol
     * @return its address, empty if the library is absent or does not export it
     */
    public Optional<MemorySegment> find(String name) {
        return lookup == null ? Optional.empty() : lookup.find(name);
    }
}
