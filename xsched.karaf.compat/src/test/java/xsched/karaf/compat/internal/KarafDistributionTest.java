package xsched.karaf.compat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivilegedAction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.Subject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Weaves the classes of real Karaf jars and compares what needed weaving with
 * {@link KarafTargets}. The build points it at the Karaf 4.4.10 bundles copied to
 * {@code target/karaf-jars} (see {@link KarafJars}); to refresh the target list when Karaf is
 * upgraded, run it with {@code -Dxsched.karaf.home=<unpacked Karaf>}.
 */
class KarafDistributionTest {
    private static final String JAAS_HELPER = SubjectCallRewriter.JAAS_HELPER;

    private static Path home;
    private static List<KarafJars.Jar> jars;

    @BeforeAll
    static void loadJars() {
        home = KarafJars.home();
        jars = KarafJars.load(home);
    }

    private static KarafJars.Jar jar(String symbolicName) {
        List<KarafJars.Jar> found = jars.stream().filter(j -> j.symbolicName().equals(symbolicName)).toList();
        assertThat(found).as("jars of bundle " + symbolicName + " under " + home).hasSize(1);
        return found.getFirst();
    }

    @Test
    void wovenClassesOfTheJarsAreExactlyTheExpectedOnes() {
        SubjectCallRewriter rewriter = new SubjectCallRewriter();
        Map<String, List<String>> woven = new TreeMap<>();
        for (KarafJars.Jar jar : jars) {
            jar.forEachClass((className, bytes) -> {
                SubjectCallRewriter.Rewrite rewrite = rewriter.rewrite(className, bytes);
                if (rewrite != null) {
                    woven.computeIfAbsent(jar.symbolicName(), b -> new ArrayList<>()).add(className);
                    if (className.equals(JAAS_HELPER)) {
                        assertThat(rewrite.replacedDoAs()).as(jar.symbolicName()).isEqualTo(2);
                    }
                }
            });
        }
        woven.values().forEach(Collections::sort);
        Map<String, List<String>> expected = new TreeMap<>();
        KarafTargets.EXPECTED.forEach((b, classes) -> expected.put(b, classes.stream().sorted().toList()));
        System.out.println("woven in " + jars.size() + " jar(s) under " + home + ": " + woven);

        assertThat(woven).isEqualTo(expected);
    }

    /** The hook as the framework calls it, for every listed class, and the JVM's verifier on the result. */
    @Test
    void everyExpectedClassIsWovenByTheHookAndStillVerifies() throws MalformedURLException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        WeavingLedger ledger = new WeavingLedger();
        SubjectWeavingHook hook = new SubjectWeavingHook(1, new SubjectCallRewriter(), ledger, TestLogs.into(err));
        List<URL> urls = new ArrayList<>();
        for (KarafJars.Jar jar : jars) {
            urls.add(jar.path().toUri().toURL());
        }
        AtomicLong ids = new AtomicLong(100);
        Map<String, Long> expectedCounts = new TreeMap<>();
        try (URLClassLoader karaf = new URLClassLoader(urls.toArray(URL[]::new), getClass().getClassLoader())) {
            ClassFile verifier = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                    ClassHierarchyResolver.ofResourceParsing(karaf).orElse(ClassHierarchyResolver.defaultResolver())));
            KarafTargets.EXPECTED.forEach((symbolicName, classes) -> {
                KarafJars.Jar jar = jar(symbolicName);
                long id = ids.incrementAndGet();
                for (String className : classes) {
                    byte[] original = jar.bytes(className);
                    FakeWovenClass woven = new FakeWovenClass(className, original,
                            FakeBundles.wiring(FakeBundles.bundle(id, symbolicName, jar.version())));

                    hook.weave(woven);

                    assertThat(woven.setBytesCalls()).as(className + " in " + symbolicName).isOne();
                    assertThat(woven.getBytes()).isNotEqualTo(original);
                    assertThat(woven.getDynamicImports()).containsExactly(SubjectWeavingHook.HELPER_IMPORT);
                    assertThat(verifier.verify(woven.getBytes())).as("verify errors of woven " + className).isEmpty();
                }
                expectedCounts.put(symbolicName + " " + jar.version(), (long) classes.size());
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }

        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(ledger.counts()).isEqualTo(expectedCounts);
    }

    /** Karaf's own JaasHelper, woven by the hook, runs on this Java: doAs and the role check see the subject. */
    @Test
    void wovenRealJaasHelperSeesTheSubjectOfItsDoAs() throws Throwable {
        KarafJars.Jar shell = jar("org.apache.karaf.shell.core");
        Map<String, byte[]> helperClasses = new HashMap<>();
        for (String className : shell.classNames()) {
            if (className.equals(JAAS_HELPER) || className.startsWith(JAAS_HELPER + "$")) {
                helperClasses.put(className, shell.bytes(className));
            }
        }
        Subject admin = new Subject();
        admin.getPrincipals().add(new Role("admin"));
        String hasAdmin = Role.class.getName() + ":admin";
        Class<?>[] types = {Subject.class, PrivilegedAction.class};

        IsolatedClassLoader unwoven = new IsolatedClassLoader(helperClasses);
        assertThatThrownBy(() -> unwoven.call(JAAS_HELPER, "currentUserHasRole", new Class<?>[] {String.class}, hasAdmin))
                .as("Karaf's JaasHelper as it is, on Java " + Runtime.version().feature())
                .isInstanceOf(UnsupportedOperationException.class);

        FakeWovenClass woven = new FakeWovenClass(JAAS_HELPER, helperClasses.get(JAAS_HELPER),
                FakeBundles.wiring(FakeBundles.bundle(42, shell.symbolicName(), shell.version())));
        new SubjectWeavingHook(1, new SubjectCallRewriter(), new WeavingLedger(), TestLogs.into(new ByteArrayOutputStream()))
                .weave(woven);
        helperClasses.put(JAAS_HELPER, woven.getBytes());
        IsolatedClassLoader loader = new IsolatedClassLoader(helperClasses);
        Class<?> helper = loader.loadClass(JAAS_HELPER);
        PrivilegedAction<Boolean> check = () -> {
            try {
                return (Boolean) helper.getMethod("currentUserHasRole", String.class).invoke(null, hasAdmin);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };

        assertThat(loader.call(JAAS_HELPER, "currentUserHasRole", new Class<?>[] {String.class}, hasAdmin)).isEqualTo(false);
        assertThat(loader.call(JAAS_HELPER, "doAs", types, admin, check)).isEqualTo(true);
        assertThat(loader.call(JAAS_HELPER, "doAs", types, new Subject(), check)).isEqualTo(false);
    }

    /** A role principal: Karaf's role check compares the class name and the name. */
    public static final class Role implements Principal {
        private final String name;

        Role(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }
    }
}
