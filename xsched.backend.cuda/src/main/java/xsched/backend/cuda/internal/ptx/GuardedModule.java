package xsched.backend.cuda.internal.ptx;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A rewritten module and what happened to each of its entries.
 *
 * @param ptx the module text to load; equal to the input when every entry was refused
 * @param entries one outcome per {@code .entry}, in source order
 */
public record GuardedModule(String ptx, List<EntryGuard> entries) {

    /**
     * What the host must respect for every guarded entry, which PTX cannot show: a cooperative
     * launch ({@code cuLaunchCooperativeKernel}) or a launch with cluster dimensions must not use
     * a guarded entry, since blocks that exit early would leave grid-wide or cluster-wide
     * synchronisation waiting forever and logical indices would not match cluster placement.
     */
    public static final String LAUNCH_RESTRICTION = "guarded entries must not be launched cooperatively"
            + " (cuLaunchCooperativeKernel) or with cluster dimensions; launch them with cuLaunchKernel and"
            + " append the stop-flag and control-block pointers";

    public GuardedModule {
        entries = List.copyOf(entries);
    }

    /** The outcome for one entry, if the module has it. */
    public Optional<EntryGuard> entry(String name) {
        return entries.stream().filter(e -> e.entry().equals(name)).findFirst();
    }

    /** Outcomes by entry name, for lookups by the launcher. */
    public Map<String, EntryGuard> byName() {
        return entries.stream().collect(Collectors.toUnmodifiableMap(EntryGuard::entry, e -> e));
    }
}
