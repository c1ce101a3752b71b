package xsched.karaf.itest;

import java.util.List;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import xsched.api.Xsched;

/**
 * Base of the Pax Exam tests: one xsched Karaf distribution per test class, and what the tests
 * use inside it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public abstract class InXschedKaraf {
    @Inject
    protected BundleContext context;

    @Inject
    protected SessionFactory sessions;

    @Inject
    protected Xsched xsched;

    @Configuration
    public Option[] configuration() {
        return XschedDistribution.options();
    }

    /** Console commands register asynchronously, some after the probe starts: wait for those the tests type. */
    @Before
    public void consoleCommandsRegistered() throws InterruptedException {
        List<String> needed = List.of("feature:install", "feature:list", "bundle:install", "bundle:update", "jaas:whoami",
                "xsched:backends", "xsched:policy", "xsched:queues");
        KarafConsole console = new KarafConsole(sessions);
        Eventually.until("console commands " + needed + " registered", () -> {
            try {
                return console.commands().containsAll(needed);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * The probe imports the host XPU's package dynamically, on first use. While Karaf is still
     * installing its boot features it may refresh the host backend bundle, and a class looked up in
     * that moment is not found: a load thread that met it died with NoClassDefFoundError (CI,
     * 2026-12-02). The tests' threads start once the probe has wired the package, here.
     */
    @Before
    public void hostXpuPackageWired() throws InterruptedException {
        Eventually.until("the probe sees xsched.backend.host", () -> {
            try {
                Class.forName("xsched.backend.host.BlockFunction", true, getClass().getClassLoader());
                Class.forName("xsched.backend.host.HostKernel", true, getClass().getClassLoader());
                return bundle("xsched.backend.host").getState() == Bundle.ACTIVE;
            } catch (ClassNotFoundException | NoClassDefFoundError e) {
                return false;
            }
        });
    }

    /** @return the installed bundle with that symbolic name */
    protected Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }
}
