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
            if (rewrite == null) {
                return;
            }
            String where = describe(bundle);
            if (SubjectCallRewriter.JAAS_HELPER.equals(wovenClass.getClassName()) && rewrite.replacedDoAs() != 2) {
                log.warn(wovenClass.getClassName() + " in bundle " + where + " has " + rewrite.replacedDoAs()
                        + " of the 2 expected static doAs methods; Karaf changed? the Java 24+ workaround may be incomplete");
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

    private static String describe(Bundle bundle) {
        return bundle.getSymbolicName() + " " + bundle.getVersion();
    }
}
