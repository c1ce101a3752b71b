package xsched.backend.support;

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
 * A vendor's native library, opened or absent with the reason. Opening never throws: a host
 * without the vendor's driver is a normal case, and the reason is reported once by whoever asks.
 *
 * <p>The library is opened in the global arena: vendor drivers keep threads and device state of
 * their own, so unloading one while the process runs is never safe.
 */
public final class VendorLibrary {
    /**
     * Where to find a vendor library and how to tell it is the right one.
     *
     * @param soname       the name the vendor installs, tried first through the dynamic loader
     * @param pathProperty system property naming another file to load instead (a path or a soname)
     * @param fallbacks    paths tried when they exist, for hosts whose loader path does not list them
     * @param probe        a symbol the library must export
     * @param title        what the library is, for the reason ("the CUDA driver library")
     * @param impostor     what a library without {@code probe} is not ("a CUDA driver")
     * @param advice       appended to the reason, e.g. what to install; empty for none
     */
    public record Spec(String soname, String pathProperty, List<String> fallbacks, String probe, String title,
            String impostor, String advice) {
        /** Checks and copies the arguments. */
        public Spec {
            Objects.requireNonNull(soname, "soname");
            Objects.requireNonNull(pathProperty, "pathProperty");
            fallbacks = List.copyOf(fallbacks);
            Objects.requireNonNull(probe, "probe");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(impostor, "impostor");
            Objects.requireNonNull(advice, "advice");
        }

        /** @return the file named by the system property, else the soname and the fallbacks that exist */
        public List<String> candidates() {
            String configured = System.getProperty(pathProperty);
            if (configured != null && !configured.isBlank()) {
                return List.of(configured.strip());
            }
            List<String> names = new ArrayList<>();
            names.add(soname);
            for (String path : fallbacks) {
                if (Files.exists(Path.of(path))) {
                    names.add(path);
                }
            }
            return names;
        }

        /** @return the library from {@link #candidates()} */
        public VendorLibrary open() {
            return open(candidates());
        }

        /**
         * Tries each candidate in turn; the first that opens and exports {@link #probe()} wins.
         *
         * @param candidates sonames or paths
         * @return the opened library, or an absent one carrying the reason
         */
        public VendorLibrary open(List<String> candidates) {
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
                if (lookup.find(probe).isEmpty()) {
                    failures.add(candidate + ": it does not export " + probe + ", so it is not " + impostor);
                    continue;
                }
                return new VendorLibrary(lookup, candidate, null);
            }
            String reason = candidates.isEmpty() ? "no library was named"
                    : title + " could not be loaded (" + String.join("; ", failures) + ")" + advice;
            return new VendorLibrary(null, null, reason);
        }
    }

    private final SymbolLookup lookup;
    private final String source;
    private final String absentReason;

    private VendorLibrary(SymbolLookup lookup, String source, String absentReason) {
        this.lookup = lookup;
        this.source = source;
        this.absentReason = absentReason;
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
