package xsched.itest;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Stops, starts, uninstalls and reinstalls the policy bundles of the running framework, and puts
 * them back with {@link #restore()} so that a failed test leaves the framework whole.
 */
final class PolicyBundles {
    private final BundleContext context;
    private final Map<String, String> uninstalled = new LinkedHashMap<>();

    /** @param context a context that does not uninstall what it installed when a test ends */
    PolicyBundles(BundleContext context) {
        this.context = context;
    }

    Bundle get(String policy) {
        String bsn = "xsched.policy." + policy;
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("bundle " + bsn + " is not installed"));
    }

    /** @return the location the uninstalled bundle was installed from */
    String uninstall(String policy) throws BundleException {
        Bundle b = get(policy);
        String location = b.getLocation();
        b.uninstall();
        uninstalled.put(policy, location);
        return location;
    }

    /** Installs the policy's bundle again from the location it had (the launcher's {@code reference:file:} URL) and starts it. */
    Bundle reinstall(String policy) throws BundleException {
        Bundle b = context.installBundle(uninstalled.remove(policy));
        b.start();
        return b;
    }

    /** Reinstalls what {@link #uninstall} removed and starts every policy bundle that is not active. */
    void restore() {
        for (String policy : uninstalled.keySet().toArray(String[]::new)) {
            try {
                reinstall(policy);
            } catch (BundleException | RuntimeException e) {
                System.err.println("could not reinstall the " + policy + " policy: " + e);
            }
        }
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("xsched.policy.") && b.getState() != Bundle.ACTIVE) {
                try {
                    b.start();
                } catch (BundleException | RuntimeException e) {
                    System.err.println("could not restart " + b + ": " + e);
                }
            }
        }
    }
}
