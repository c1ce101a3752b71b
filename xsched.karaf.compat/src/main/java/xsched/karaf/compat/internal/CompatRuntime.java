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
        context.addBundleListener(check);
        for (Bundle bundle : context.getBundles()) {
            check.checkPresent(bundle);
        }
        log.info("Java " + Runtime.version().feature() + ": weaving Subject.getSubject calls and"
                + " JaasHelper.doAs of Karaf bundles (workaround for JEP 486)");
    }

    void stop() {
        context.removeBundleListener(check);
        hook.unregister();
        log.info("stopped; " + ledger.summary());
    }
}
