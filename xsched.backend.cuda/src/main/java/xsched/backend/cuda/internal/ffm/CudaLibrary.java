package xsched.backend.cuda.internal.ffm;

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
 * Finds and opens the CUDA driver library, or says why it cannot. Opening never throws: a host
 * without an NVIDIA driver is a normal case, and the reason is reported once by whoever asks.
 *
 * <p>The library is opened in the global arena: the driver keeps threads and device state of its
 * own, so unloading it while the process runs is never safe.
 */
public final class CudaLibrary {
    /** The soname the driver installs. */
    public static final String SONAME = "libcuda.so.1";

    /** System property naming another library file to load instead (a path or a soname). */
    public static final String PATH_PROPERTY = "xsched.cuda.library";

    /** Where drivers put the library when the dynamic loader's search path does not list it. */
    private static final List<String> FALLBACKS = List.of(
            "/usr/lib/x86_64-linux-gnu/libcuda.so.1",
            "/usr/lib/aarch64-linux-gnu/libcuda.so.1",
            "/usr/lib64/libcuda.so.1",
            "/usr/local/nvidia/lib64/libcuda.so.1",
            "/usr/lib/wsl/lib/libcuda.so.1");

    private static final class Default {
        static final CudaLibrary INSTANCE = open(candidates());
    }

    private final SymbolLookup lookup;
    private final String source;
    private final String absentReason;

    private CudaLibrary(SymbolLookup lookup, String source, String absentReason) {
        this.lookup = lookup;
        this.source = source;
        this.absentReason = absentReason;
    }

    /** @return the library this process uses, opened on first call */
    public static CudaLibrary system() {
        return Default.INSTANCE;
    }

    /**
     * Tries each candidate in turn; the first that opens and exports {@code cuInit} wins.
     *
     * @param candidates sonames or paths
     * @return the opened library, or an absent one carrying the reason
     */
    public static CudaLibrary open(List<String> candidates) {
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
            if (lookup.find("cuInit").isEmpty()) {
                failures.add(candidate + ": it does not export cuInit, so it is not a CUDA driver");
                continue;
            }
            return new CudaLibrary(lookup, candidate, null);
        }
        String reason = candidates.isEmpty() ? "no library was named"
                : "the CUDA driver library could not be loaded (" + String.join("; ", failures) + ")";
        return new CudaLibrary(null, null, reason);
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
