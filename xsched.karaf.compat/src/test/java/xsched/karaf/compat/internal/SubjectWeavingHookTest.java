package xsched.karaf.compat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.wiring.BundleWiring;

class SubjectWeavingHookTest {
    private static final long OWN_ID = 7;

    @TempDir
    static Path work;

    private static Map<String, byte[]> classes;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final WeavingLedger ledger = new WeavingLedger();
    private final SubjectWeavingHook hook = new SubjectWeavingHook(OWN_ID, new SubjectCallRewriter(), ledger,
            TestLogs.into(err));

    @BeforeAll
    static void compile() {
        classes = new HashMap<>(CompiledClasses.compile(work, 8, Samples.CALLER_SOURCE));
        classes.putAll(CompiledClasses.compile(work, 11, Samples.JAAS_HELPER_SOURCE));
        classes.putAll(CompiledClasses.compile(work, 17, Samples.PLAIN_SOURCE));
    }

    private static BundleWiring karafBundle(long id) {
        return FakeBundles.wiring(FakeBundles.bundle(id, "org.apache.karaf.shell.core", "4.4.10"));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void wovenClassGetsNewBytesAndTheHelperImport() throws Throwable {
        byte[] original = classes.get(Samples.CALLER);
        FakeWovenClass woven = new FakeWovenClass(Samples.CALLER, original, karafBundle(42));

        hook.weave(woven);

        assertThat(woven.setBytesCalls()).isOne();
        assertThat(woven.getBytes()).isNotEqualTo(original);
        assertThat(woven.getDynamicImports()).containsExactly("xsched.karaf.compat");
        assertThat(ledger.counts()).containsEntry("org.apache.karaf.shell.core 4.4.10", 1L);
        assertThat(err()).isEmpty();
        Map<String, byte[]> loaded = new HashMap<>(classes);
        loaded.put(Samples.CALLER, woven.getBytes());
        assertThat(new IsolatedClassLoader(loaded).call(Samples.CALLER, "current")).isNull();
    }

    @Test
    void jaasHelperIsWovenQuietly() {
        FakeWovenClass woven = new FakeWovenClass(Samples.JAAS_HELPER, classes.get(Samples.JAAS_HELPER), karafBundle(42));

        hook.weave(woven);

        assertThat(woven.setBytesCalls()).isOne();
        assertThat(woven.getDynamicImports()).containsExactly("xsched.karaf.compat");
        assertThat(err()).isEmpty();
    }

    @Test
    void classWithoutTheCallIsLeftAlone() {
        byte[] original = classes.get(Samples.PLAIN);
        FakeWovenClass plain = new FakeWovenClass(Samples.PLAIN, original, karafBundle(42));

        hook.weave(plain);

        assertThat(plain.setBytesCalls()).isZero();
        assertThat(plain.getBytes()).isSameAs(original);
        assertThat(plain.getDynamicImports()).isEmpty();
        assertThat(ledger.counts()).isEmpty();
    }

    @Test
    void ownAndSystemBundleAreSkipped() {
        FakeWovenClass own = new FakeWovenClass(Samples.CALLER, classes.get(Samples.CALLER), karafBundle(OWN_ID));
        FakeWovenClass system = new FakeWovenClass(Samples.CALLER, classes.get(Samples.CALLER), karafBundle(0));

        hook.weave(own);
        hook.weave(system);

        assertThat(own.setBytesCalls() + system.setBytesCalls()).isZero();
        assertThat(own.getDynamicImports()).isEmpty();
        assertThat(system.getDynamicImports()).isEmpty();
    }

    @Test
    void corruptClassLoadsUnchangedAndIsReportedLoudly() {
        byte[] corrupt = "\u00ca\u00fe\u00ba\u00be broken getSubject".getBytes(StandardCharsets.ISO_8859_1);
        FakeWovenClass woven = new FakeWovenClass("org.example.Broken", corrupt, karafBundle(42));

        assertThatCode(() -> hook.weave(woven)).doesNotThrowAnyException();

        assertThat(woven.setBytesCalls()).isZero();
        assertThat(woven.getBytes()).isSameAs(corrupt);
        assertThat(woven.getDynamicImports()).isEmpty();
        assertThat(err()).contains("WARNING", "could not weave org.example.Broken",
                "org.apache.karaf.shell.core 4.4.10", "loads unchanged");
    }

    @Test
    void failingFrameworkCallDoesNotEscapeTheHook() {
        FakeWovenClass noWiring = new FakeWovenClass(Samples.CALLER, classes.get(Samples.CALLER), null);

        assertThatCode(() -> hook.weave(noWiring)).doesNotThrowAnyException();

        assertThat(noWiring.setBytesCalls()).isZero();
        assertThat(err()).contains("could not weave " + Samples.CALLER);
    }

    @Test
    void jaasHelperWithoutDoAsIsReported() {
        Map<String, byte[]> odd = CompiledClasses.compile(work, 11, Map.of(Samples.JAAS_HELPER, """
                package org.apache.karaf.util.jaas;

                public class JaasHelper {
                    public static Object who() {
                        return javax.security.auth.Subject.getSubject(java.security.AccessController.getContext());
                    }
                }
                """));
        FakeWovenClass woven = new FakeWovenClass(Samples.JAAS_HELPER, odd.get(Samples.JAAS_HELPER), karafBundle(42));

        hook.weave(woven);

        assertThat(woven.setBytesCalls()).isOne();
        assertThat(err()).contains("has 0 of the 2 expected static doAs methods");
    }

    @Test
    void jaasHelperWithChangedDoAsSignaturesIsReportedAndLoadsUnchanged() {
        Map<String, byte[]> changed = CompiledClasses.compile(work, 11, Map.of(Samples.JAAS_HELPER, """
                package org.apache.karaf.util.jaas;

                import java.util.concurrent.Callable;
                import java.util.function.Supplier;
                import javax.security.auth.Subject;

                public class JaasHelper {
                    public static <T> T doAs(Subject subject, Supplier<T> action) {
                        return action.get();
                    }

                    public static <T> T doAs(Subject subject, Callable<T> action) throws Exception {
                        return action.call();
                    }

                    public <T> T doAs(Subject subject, java.security.PrivilegedAction<T> action) {
                        return action.run();
                    }
                }
                """));
        byte[] original = changed.get(Samples.JAAS_HELPER);
        FakeWovenClass woven = new FakeWovenClass(Samples.JAAS_HELPER, original, karafBundle(42));

        assertThatCode(() -> hook.weave(woven)).doesNotThrowAnyException();

        assertThat(woven.setBytesCalls()).isZero();
        assertThat(woven.getBytes()).isSameAs(original);
        assertThat(woven.getDynamicImports()).isEmpty();
        assertThat(ledger.counts()).isEmpty();
        assertThat(err().lines()).singleElement().asString().contains("*** xsched compat: WARNING:",
                Samples.JAAS_HELPER + " in bundle org.apache.karaf.shell.core 4.4.10 has 0 of the 2 expected static doAs methods",
                "loads unchanged", "Karaf changed?", "may be incomplete");
    }
}
