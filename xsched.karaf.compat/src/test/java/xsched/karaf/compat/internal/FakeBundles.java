package xsched.karaf.compat.internal;

import java.lang.reflect.Proxy;
import java.net.URL;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleWiring;

/** Just enough of {@link Bundle} and {@link BundleWiring} for the hook and the check. */
final class FakeBundles {
    private FakeBundles() {
    }

    /**
     * A bundle answering for its id, name, version, state, last modification and entries.
     *
     * @param entries the entry paths it holds
     */
    static Bundle bundle(long id, String symbolicName, String version, int state, long lastModified, Set<String> entries) {
        return (Bundle) Proxy.newProxyInstance(FakeBundles.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBundleId" -> id;
                    case "getSymbolicName" -> symbolicName;
                    case "getVersion" -> Version.parseVersion(version);
                    case "getState" -> state;
                    case "getLastModified" -> lastModified;
                    case "getEntry" -> entries.contains((String) args[0]) ? entryUrl((String) args[0]) : null;
                    case "toString" -> symbolicName + " [" + id + "]";
                    case "hashCode" -> Long.hashCode(id);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A bundle with no entries, for the weaving hook. */
    static Bundle bundle(long id, String symbolicName, String version) {
        return bundle(id, symbolicName, version, Bundle.RESOLVED, 1, Set.of());
    }

    /** The wiring of the bundle. */
    static BundleWiring wiring(Bundle bundle) {
        return (BundleWiring) Proxy.newProxyInstance(FakeBundles.class.getClassLoader(),
                new Class<?>[] {BundleWiring.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBundle" -> bundle;
                    case "toString" -> "wiring of " + bundle;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Any URL will do: the check only asks whether there is one. */
    private static URL entryUrl(String path) {
        return FakeBundles.class.getResource("FakeBundles.class");
    }
}
