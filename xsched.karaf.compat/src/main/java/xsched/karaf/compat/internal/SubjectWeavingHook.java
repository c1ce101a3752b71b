package xsched.karaf.compat.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.hooks.weaving.WeavingHook;
import org.osgi.framework.hooks.weaving.WovenClass;
import xsched.karaf.compat.CurrentSubject;

/**
 * The weaving hook: hands each class being loaded to the {@link SubjectCallRewriter} and, if
 * it changed, gives the class the new bytes and a dynamic import of {@link CurrentSubject}'s
 * package.
 *
 * <p>It never throws: a {@code WeavingException} would make the class fail to load, and any
 * other exception would get the hook denylisted for all later classes. A class that cannot
 * be rewritten is logged loudly and loads unchanged.
 */
final class SubjectWeavingHook implements WeavingHook {
    /** The dynamic import woven classes need to see the helper. */
    static final String HELPER_IMPORT = CurrentSubject.class.getPackageName();

    private final long ownBundleId;
    private final SubjectCallRewriter rewriter;
    private final WeavingLedger ledger;
    private final CompatLog log;

    SubjectWeavingHook(long ownBundleId, SubjectCallRewriter rewriter, WeavingLedger ledger, CompatLog log) {
        this.ownBundleId = ownBundleId;
        this.rewriter = rewriter;
        this.ledger = ledger;
        this.log = log;
    }

    @Override
    public void weave(WovenClass wovenClass) {
        Bundle bundle = null;
        try {
            bundle = wovenClass.getBundleWiring().getBundle();
            long id = bundle.getBundleId();
            if (id == Constants.SYSTEM_BUNDLE_ID || id == ownBundleId) {
                return;
            }
            SubjectCallRewriter.Rewrite rewrite = rewriter.rewrite(wovenClass.getClassName(), wovenClass.getBytes());
            boolean jaasHelper = SubjectCallRewriter.JAAS_HELPER.equals(wovenClass.getClassName());
            if (rewrite == null) {
                if (jaasHelper) {
                    // neither doAs signature nor a getSubject call: a changed JaasHelper must not go unnoticed
                    warnDoAs(wovenClass, describe(bundle), 0, "; it loads unchanged");
                }
                return;
            }
            String where = describe(bundle);
            if (jaasHelper && rewrite.replacedDoAs() != 2) {
                warnDoAs(wovenClass, where, rewrite.replacedDoAs(), "");
            }
            wovenClass.getDynamicImports().add(HELPER_IMPORT);
            wovenClass.setBytes(rewrite.bytes());
            ledger.woven(where);
            log.debug("wove " + wovenClass.getClassName() + " in " + where + ": " + rewrite);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            log.warn("could not weave " + wovenClass.getClassName() + " in bundle "
                    + (bundle == null ? "?" : describe(bundle))
                    + "; it loads unchanged and may fail on Java 24+", e);
        }
    }

    private void warnDoAs(WovenClass wovenClass, String where, int found, String unchanged) {
        log.warn(wovenClass.getClassName() + " in bundle " + where + " has " + found
                + " of the 2 expected static doAs methods" + unchanged
                + "; Karaf changed? the Java 24+ workaround may be incomplete");
    }

    private static String describe(Bundle bundle) {
        return bundle.getSymbolicName() + " " + bundle.getVersion();
    }
}
