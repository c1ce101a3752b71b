package xsched.karaf.compat.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;

/**
 * Warns loudly when a Karaf bundle no longer holds a class that {@link KarafTargets} says must
 * be woven: Karaf changed, and the Java 24+ workaround may be incomplete. Also warns when
 * such a bundle was already started before this one, so some of its classes may have been
 * loaded without weaving.
 *
 * <p>Each bundle is checked when installed or updated, and once for every bundle already
 * there when this bundle starts.
 */
final class ExpectedTargetCheck implements BundleListener {
    private final Map<String, List<String>> expected;
    private final CompatLog log;
    private final Map<Long, Long> checkedAt = new ConcurrentHashMap<>();

    ExpectedTargetCheck(Map<String, List<String>> expected, CompatLog log) {
        this.expected = expected;
        this.log = log;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.INSTALLED || event.getType() == BundleEvent.UPDATED) {
            check(event.getBundle());
        } else if (event.getType() == BundleEvent.UNINSTALLED) {
            checkedAt.remove(event.getBundle().getBundleId());
        }
    }

    /** Checks a bundle found already installed when this bundle starts. */
    void checkPresent(Bundle bundle) {
        if (!missingNothingFor(bundle.getSymbolicName())
                && (bundle.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
            log.warn("bundle " + bundle.getSymbolicName() + " " + bundle.getVersion()
                    + " was started before the compat bundle, so some of its classes may not be woven;"
                    + " start xsched.karaf.compat at start level 1");
        }
        check(bundle);
    }

    /** Checks the bundle's content once per install or update. */
    void check(Bundle bundle) {
        Long previous = checkedAt.put(bundle.getBundleId(), bundle.getLastModified());
        if (previous != null && previous == bundle.getLastModified()) {
            return;
        }
        warnings(bundle.getSymbolicName(), String.valueOf(bundle.getVersion()),
                className -> bundle.getEntry(entryOf(className)) != null).forEach(log::warn);
    }

    /**
     * The warnings for one bundle.
     *
     * @param symbolicName the bundle's symbolic name
     * @param version the bundle's version, for the message
     * @param hasClass whether the bundle holds the class with this binary name
     * @return one warning per expected class the bundle does not hold
     */
    List<String> warnings(String symbolicName, String version, Predicate<String> hasClass) {
        return missing(symbolicName, hasClass).stream()
                .map(className -> "expected class " + className + " in bundle " + symbolicName + " (version "
                        + version + ") was not found; Karaf changed? the Java 24+ workaround may be incomplete"
                        + " (the target list is from Karaf " + KarafTargets.KARAF_VERSION + ")")
                .toList();
    }

    /** The expected classes of the bundle that it does not hold; empty for a bundle not in the list. */
    List<String> missing(String symbolicName, Predicate<String> hasClass) {
        if (missingNothingFor(symbolicName)) {
            return List.of();
        }
        return expected.get(symbolicName).stream()
                .filter(hasClass.negate())
                .toList();
    }

    private boolean missingNothingFor(String symbolicName) {
        return symbolicName == null || !expected.containsKey(symbolicName);
    }

    static String entryOf(String className) {
        return className.replace('.', '/') + ".class";
    }
}
