package xsched.karaf.compat.internal;

import java.lang.System.Logger.Level;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Starts the Java 24+ workaround for Apache Karaf 4.4: a weaving hook that makes Karaf's
 * bundles work although {@code Subject.getSubject(AccessControlContext)} throws
 * {@link UnsupportedOperationException} on Java 24+ (JEP 486).
 *
 * <p>What is woven, in any bundle but this one and the system bundle:
 * <ul>
 * <li>every {@code invokestatic javax/security/auth/Subject.getSubject(AccessControlContext)}
 * is redirected to {@link xsched.karaf.compat.CurrentSubject#getSubject}, which answers with
 * {@code Subject.current()} or else the subject of the innermost {@code doAs} of this thread
 * or the thread that created it;</li>
 * <li>every copy of {@code org.apache.karaf.util.jaas.JaasHelper} (several Karaf bundles hold
 * a private one) gets new bodies for its two static {@code doAs} methods, delegating to
 * {@code CurrentSubject.doAs}, which runs the action through {@code Subject.callAs} and also
 * keeps the subject in an {@code InheritableThreadLocal} for the plain threads Karaf starts
 * for the console, pipes and ssh sessions. Karaf's own bodies rely on a
 * {@code SubjectDomainCombiner}, which does nothing on Java 24+.</li>
 * </ul>
 * Without it EventAdmin's {@code Subject.getSubject} call kills the configuration updater
 * thread, no feature boots and no console appears.
 *
 * <p>This bundle must start at start level 1 (in Karaf's startup feature), before any Karaf
 * bundle loads a class: classes loaded before the hook is registered stay unwoven.
 * {@link KarafTargets} lists the classes known to need weaving in Karaf 4.4.10; a Karaf bundle
 * that no longer holds one of them is reported loudly on {@code System.err}.
 *
 * <p>This is a workaround: remove the bundle once Karaf supports Java 24+. On Java 23 or
 * older, where {@code Subject.getSubject} still works, it logs one line and does nothing.
 * That is why this class alone is compiled for Java 11: it must not touch the Java 24
 * classes before checking the version.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class CompatActivator implements BundleActivator {
    /** The first Java feature release where {@code Subject.getSubject} always throws. */
    static final int FIRST_AFFECTED_JAVA = 24;

    private CompatRuntime runtime;

    @Override
    public void start(BundleContext context) {
        int java = Runtime.version().feature();
        if (!isAffected(java)) {
            System.getLogger("xsched.karaf.compat").log(Level.INFO, "xsched compat: Java " + java
                    + " still supports Subject.getSubject; nothing to weave");
            return;
        }
        runtime = new CompatRuntime(context);
        runtime.start();
    }

    @Override
    public void stop(BundleContext context) {
        if (runtime != null) {
            runtime.stop();
            runtime = null;
        }
    }

    /** Whether this Java feature release needs the workaround. */
    static boolean isAffected(int javaFeature) {
        return javaFeature >= FIRST_AFFECTED_JAVA;
    }
}
