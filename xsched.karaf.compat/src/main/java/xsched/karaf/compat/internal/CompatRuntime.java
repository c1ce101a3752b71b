package xsched.karaf.compat.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.weaving.WeavingHook;

/**
 * The workaround while it is on: the registered {@link SubjectWeavingHook} and the
 * {@link ExpectedTargetCheck} listening to bundles. Only created on Java 24+, by
 * {@link CompatActivator}.
 */
final class CompatRuntime {
    private final BundleContext context;
    private final CompatLog log = CompatLog.system();
    private final WeavingLedger ledger = new WeavingLedger();
    private final ExpectedTargetCheck check = new ExpectedTargetCheck(KarafTargets.EXPECTED, log);
    private ServiceRegistration<WeavingHook> hook;

    CompatRuntime(BundleContext context) {
        this.context = context;
    }

    void start() {
        SubjectWeavingHook weaver = new SubjectWeavingHook(
                context.getBundle().getBundleId(), new SubjectCallRewriter(), ledger, log);
        hook = context.registerService(WeavingHook.class, weaver, null);
        log.info(activeLine(Runtime.version().feature()));
        context.addBundleListener(check);
        for (Bundle bundle : context.getBundles()) {
            check.checkPresent(bundle);
        }
    }

    /** The INFO line saying that the workaround is on and what it weaves. */
    static String activeLine(int javaFeature) {
        return "Java " + javaFeature + ": Java 24+ workaround active (JEP 486): weaving every"
                + " Subject.getSubject(AccessControlContext) call and every JaasHelper.doAs body of the bundles"
                + " loaded from now on (target list from Karaf " + KarafTargets.KARAF_VERSION + ");"
                + " remove this bundle once Karaf supports Java 24+";
    }

    void stop() {
        context.removeBundleListener(check);
        hook.unregister();
        log.info("stopped; " + ledger.summary());
    }
}
