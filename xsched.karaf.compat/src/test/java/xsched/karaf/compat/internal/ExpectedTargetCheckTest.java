package xsched.karaf.compat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;

class ExpectedTargetCheckTest {
    private static final String SHELL = "org.apache.karaf.shell.core";
    private static final String SHELL_UTIL = "org.apache.karaf.shell.support.ShellUtil";
    private static final Map<String, List<String>> EXPECTED = Map.of(
            SHELL, List.of(SHELL_UTIL, SubjectCallRewriter.JAAS_HELPER),
            "org.apache.karaf.services.eventadmin", List.of("org.apache.felix.eventadmin.impl.handler.EventAdminImpl"));

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ExpectedTargetCheck check = new ExpectedTargetCheck(EXPECTED,
            TestLogs.into(err));

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void reportsTheMissingClassWithBundleAndVersion() {
        List<String> warnings = check.warnings(SHELL, "4.4.11", SubjectCallRewriter.JAAS_HELPER::equals);

        assertThat(warnings).singleElement().asString().contains(
                "expected class " + SHELL_UTIL + " in bundle " + SHELL + " (version 4.4.11) was not found",
                "Karaf changed?", "may be incomplete");
    }

    @Test
    void nothingMissingWhenAllClassesArePresent() {
        assertThat(check.missing(SHELL, className -> true)).isEmpty();
        assertThat(check.missing(SHELL, className -> false)).containsExactly(SHELL_UTIL, SubjectCallRewriter.JAAS_HELPER);
    }

    @Test
    void bundlesNotInTheListAreNotChecked() {
        assertThat(check.missing("org.example.other", className -> false)).isEmpty();
        assertThat(check.missing(null, className -> false)).isEmpty();
    }

    @Test
    void installedBundleIsCheckedAgainstItsEntriesOncePerContent() {
        Bundle shell = FakeBundles.bundle(12, SHELL, "4.4.10", Bundle.INSTALLED, 100,
                Set.of("org/apache/karaf/util/jaas/JaasHelper.class"));

        check.bundleChanged(new BundleEvent(BundleEvent.INSTALLED, shell));
        check.bundleChanged(new BundleEvent(BundleEvent.RESOLVED, shell));
        check.check(shell);

        assertThat(err().lines()).singleElement().asString()
                .contains("WARNING", "expected class " + SHELL_UTIL, "(version 4.4.10)");
    }

    @Test
    void updatedBundleIsCheckedAgain() {
        Bundle before = FakeBundles.bundle(12, SHELL, "4.4.10", Bundle.RESOLVED, 100,
                Set.of("org/apache/karaf/shell/support/ShellUtil.class", "org/apache/karaf/util/jaas/JaasHelper.class"));
        Bundle after = FakeBundles.bundle(12, SHELL, "4.4.12", Bundle.INSTALLED, 200,
                Set.of("org/apache/karaf/shell/support/ShellUtil.class"));

        check.bundleChanged(new BundleEvent(BundleEvent.INSTALLED, before));
        assertThat(err()).isEmpty();
        check.bundleChanged(new BundleEvent(BundleEvent.UPDATED, after));

        assertThat(err()).contains("expected class " + SubjectCallRewriter.JAAS_HELPER, "(version 4.4.12)");
    }

    @Test
    void expectedBundleStartedBeforeTheHookIsReported() {
        Bundle eventAdmin = FakeBundles.bundle(30, "org.apache.karaf.services.eventadmin", "4.4.10", Bundle.ACTIVE, 1,
                Set.of("org/apache/felix/eventadmin/impl/handler/EventAdminImpl.class"));
        Bundle other = FakeBundles.bundle(31, "org.example.other", "1.0.0", Bundle.ACTIVE, 1, Set.of());

        check.checkPresent(eventAdmin);
        check.checkPresent(other);

        assertThat(err().lines()).singleElement().asString()
                .contains("org.apache.karaf.services.eventadmin 4.4.10 was started before the compat bundle",
                        "start level 1");
    }

    /** The real list against the real Karaf jars: every listed bundle is there and holds its listed classes. */
    @Test
    void realKarafBundlesHoldEveryListedClass() {
        List<KarafJars.Jar> jars = KarafJars.load(KarafJars.home());
        ByteArrayOutputStream realErr = new ByteArrayOutputStream();
        ExpectedTargetCheck real = new ExpectedTargetCheck(KarafTargets.EXPECTED, TestLogs.into(realErr));
        Map<String, String> versions = new TreeMap<>();
        long id = 100;
        for (KarafJars.Jar jar : jars) {
            if (KarafTargets.EXPECTED.containsKey(jar.symbolicName())) {
                versions.put(jar.symbolicName(), jar.version());
                real.checkPresent(FakeBundles.bundle(id++, jar.symbolicName(), jar.version(), Bundle.INSTALLED, 1,
                        jar.classEntries()));
            }
        }

        assertThat(versions.keySet()).containsExactlyInAnyOrderElementsOf(KarafTargets.EXPECTED.keySet());
        assertThat(realErr.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
