package xsched.karaf.compat.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/** How many classes were woven in each bundle, for a one-line summary. */
final class WeavingLedger {
    private final Map<String, LongAdder> wovenByBundle = new ConcurrentHashMap<>();

    /** Notes one woven class of the bundle with this name and version. */
    void woven(String bundle) {
        wovenByBundle.computeIfAbsent(bundle, b -> new LongAdder()).increment();
    }

    /** Woven class counts by bundle, in bundle order. */
    Map<String, Long> counts() {
        return wovenByBundle.entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue().sum(), Long::sum, TreeMap::new));
    }

    /** One line: every bundle with the number of classes woven in it. */
    String summary() {
        Map<String, Long> counts = counts();
        if (counts.isEmpty()) {
            return "no class woven";
        }
        return counts.values().stream().mapToLong(Long::longValue).sum() + " class(es) woven: "
                + counts.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                        .collect(Collectors.joining(", "));
    }
}
