package xsched.karaf.compat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.StackMapFrameInfo;
import java.lang.classfile.attribute.StackMapTableAttribute;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivilegedAction;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.Subject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xsched.karaf.compat.CurrentSubject;

class SubjectCallRewriterTest {
    private static final Class<?>[] SUBJECT_AND_ACTION = {Subject.class, PrivilegedAction.class};
    private static final Class<?>[] SUBJECT_AND_EXCEPTION_ACTION = {Subject.class, PrivilegedExceptionAction.class};

    @TempDir
    static Path work;

    private static Map<String, byte[]> original;
    private static Map<String, byte[]> woven;

    private final SubjectCallRewriter rewriter = new SubjectCallRewriter();

    @BeforeAll
    static void compileAndWeave() {
        original = new HashMap<>(CompiledClasses.compile(work, 8, Samples.CALLER_SOURCE));
        original.putAll(CompiledClasses.compile(work, 11, Samples.JAAS_HELPER_SOURCE));
        original.putAll(CompiledClasses.compile(work, 17, Samples.PLAIN_SOURCE));
        SubjectCallRewriter rewriter = new SubjectCallRewriter();
        woven = new HashMap<>();
        original.forEach((name, bytes) -> {
            SubjectCallRewriter.Rewrite rewrite = rewriter.rewrite(name, bytes);
            woven.put(name, rewrite == null ? bytes : rewrite.bytes());
        });
    }

    private static Subject subject(String... names) {
        Subject subject = new Subject();
        for (String name : names) {
            subject.getPrincipals().add(new NamedPrincipal(name));
        }
        return subject;
    }

    private record NamedPrincipal(String name) implements Principal {
        @Override
        public String getName() {
            return name;
        }
    }

    @Test
    void unwovenCallerFailsOnThisJava() {
        IsolatedClassLoader loader = new IsolatedClassLoader(original);

        assertThatThrownBy(() -> Subject.callAs(subject("alice"), () -> call(loader, Samples.CALLER, "current")))
                .hasRootCauseInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void redirectedCallSeesSubjectOfCallAs() throws Throwable {
        IsolatedClassLoader loader = new IsolatedClassLoader(woven);
        Subject alice = subject("alice", "admin");

        Object seen = Subject.callAs(alice, () -> call(loader, Samples.CALLER, "current"));
        Object names = Subject.callAs(alice, () -> call(loader, Samples.CALLER, "names"));

        assertThat(seen).isSameAs(alice);
        assertThat((String) names).contains("alice", "admin");
        assertThat(loader.call(Samples.CALLER, "current")).isNull();
        assertThat(loader.call(Samples.CALLER, "names")).isNull();
    }

    @Test
    void redirectedCallSeesSubjectOfDoAsInChildThread() throws Throwable {
        IsolatedClassLoader loader = new IsolatedClassLoader(woven);
        Subject bob = subject("bob");

        Object viaDoAs = CurrentSubject.doAs(bob,
                (PrivilegedExceptionAction<Object>) () -> call(loader, Samples.CALLER, "inNewThread"));
        Object viaCallAsOnly = Subject.callAs(bob, () -> call(loader, Samples.CALLER, "inNewThread"));

        assertThat(viaDoAs).isSameAs(bob);
        assertThat(viaCallAsOnly).as("Subject.callAs alone is not inherited by a new thread").isNull();
        assertThat(loader.call(Samples.CALLER, "current")).as("nothing left behind on this thread").isNull();
    }

    @Test
    void untouchedMethodsOfWovenClassStillRun() throws Throwable {
        IsolatedClassLoader loader = new IsolatedClassLoader(woven);

        assertThat(loader.call(Samples.CALLER, "untouched", new Class<?>[] {int.class}, 10)).isEqualTo(12);
    }

    @Test
    void unwovenJaasHelperRunsActionWithoutSubject() throws Throwable {
        IsolatedClassLoader loader = new IsolatedClassLoader(original);
        PrivilegedAction<Subject> current = Subject::current;

        Object seen = loader.call(Samples.JAAS_HELPER, "doAs", SUBJECT_AND_ACTION, subject("carol"), current);

        assertThat(seen).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void jaasHelperDoAsRunsActionAsSubject() throws Throwable {
        IsolatedClassLoader loader = new IsolatedClassLoader(woven);
        Subject carol = subject("carol", "admin");
        PrivilegedAction<List<Object>> probe = () -> Arrays.asList(
                Subject.current(),
                call(loader, Samples.CALLER, "current"),
                call(loader, Samples.JAAS_HELPER, "currentUserHasRole", new Class<?>[] {String.class}, "admin"),
                call(loader, Samples.CALLER, "inNewThread"));

        Object seen = loader.call(Samples.JAAS_HELPER, "doAs", SUBJECT_AND_ACTION, carol, probe);

        assertThat((List<Object>) seen).containsExactly(carol, carol, true, carol);
    }

    @Test
    void jaasHelperRunAsAndNestedDoAsSeeTheirOwnSubject() throws Throwable {
        IsolatedClassLoader loader = new IsolatedClassLoader(woven);
        Subject outer = subject("outer");
        Subject inner = subject("inner");
        Object[] seen = new Object[3];
        PrivilegedAction<Object> innerAction = () -> seen[1] = call(loader, Samples.CALLER, "current");
        Runnable outerAction = () -> {
            seen[0] = call(loader, Samples.CALLER, "current");
            call(loader, Samples.JAAS_HELPER, "doAs", SUBJECT_AND_ACTION, inner, innerAction);
            seen[2] = call(loader, Samples.CALLER, "inNewThread");
        };

        loader.call(Samples.JAAS_HELPER, "runAs", new Class<?>[] {Subject.class, Runnable.class}, outer, outerAction);

        assertThat(seen).containsExactly(outer, inner, outer);
    }

    @Test
    void jaasHelperExceptionActionKeepsItsContract() {
        IsolatedClassLoader loader = new IsolatedClassLoader(woven);
        IOException checked = new IOException("checked");
        IllegalStateException unchecked = new IllegalStateException("unchecked");
        PrivilegedExceptionAction<Object> throwsChecked = () -> {
            throw checked;
        };
        PrivilegedExceptionAction<Object> throwsUnchecked = () -> {
            throw unchecked;
        };

        assertThatThrownBy(() -> loader.call(Samples.JAAS_HELPER, "doAs", SUBJECT_AND_EXCEPTION_ACTION,
                subject("dave"), throwsChecked))
                .isInstanceOf(PrivilegedActionException.class)
                .extracting(e -> ((PrivilegedActionException) e).getException()).isSameAs(checked);
        assertThatThrownBy(() -> loader.call(Samples.JAAS_HELPER, "doAs", SUBJECT_AND_EXCEPTION_ACTION,
                subject("dave"), throwsUnchecked))
                .isSameAs(unchecked);
        assertThatThrownBy(() -> loader.call(Samples.JAAS_HELPER, "doAs", SUBJECT_AND_ACTION, subject("dave"), null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void jaasHelperExceptionActionReturnsValueAsSubject() throws Throwable {
        IsolatedClassLoader loader = new IsolatedClassLoader(woven);
        Subject erin = subject("erin");
        PrivilegedExceptionAction<Object> probe = () -> call(loader, Samples.CALLER, "current");

        assertThat(loader.call(Samples.JAAS_HELPER, "doAs", SUBJECT_AND_EXCEPTION_ACTION, erin, probe)).isSameAs(erin);
    }

    @Test
    void reportsWhatItChanged() {
        SubjectCallRewriter.Rewrite caller = rewriter.rewrite(Samples.CALLER, original.get(Samples.CALLER));
        SubjectCallRewriter.Rewrite helper = rewriter.rewrite(Samples.JAAS_HELPER, original.get(Samples.JAAS_HELPER));

        assertThat(caller.redirectedCalls()).isEqualTo(2);
        assertThat(caller.replacedDoAs()).isZero();
        assertThat(helper.redirectedCalls()).isEqualTo(1);
        assertThat(helper.replacedDoAs()).isEqualTo(2);
    }

    @Test
    void keepsClassVersionCodeLengthsAndStackMaps() {
        ClassFile classFile = ClassFile.of();
        ClassModel before = classFile.parse(original.get(Samples.CALLER));
        ClassModel after = classFile.parse(woven.get(Samples.CALLER));

        assertThat(after.majorVersion()).isEqualTo(ClassFile.JAVA_8_VERSION);
        assertThat(classFile.parse(woven.get(Samples.JAAS_HELPER)).majorVersion()).isEqualTo(ClassFile.JAVA_11_VERSION);
        for (int i = 0; i < before.methods().size(); i++) {
            MethodModel a = before.methods().get(i);
            MethodModel b = after.methods().get(i);
            assertThat(b.methodName().stringValue()).isEqualTo(a.methodName().stringValue());
            assertThat(codeLength(b)).as(a.methodName().stringValue()).isEqualTo(codeLength(a));
            assertThat(frameTypes(b)).as(a.methodName().stringValue()).isEqualTo(frameTypes(a));
        }
        assertThat(frameTypes(methodNamed(after, "names"))).isNotEmpty();
    }

    @Test
    void leavesClassesWithoutTheCallAlone() {
        assertThat(rewriter.rewrite(Samples.PLAIN, original.get(Samples.PLAIN))).isNull();
        assertThat(rewriter.rewrite(Samples.CALLER + "$1", original.get(Samples.CALLER + "$1"))).isNull();
        assertThat(original.keySet()).contains(Samples.CALLER + "$1");
    }

    @Test
    void corruptClassFileIsAnIllegalArgument() {
        byte[] corrupt = "\u00ca\u00fe\u00ba\u00beno class here, only getSubject".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> rewriter.rewrite("sample.Corrupt", corrupt)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rewriter.rewrite(Samples.JAAS_HELPER, new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wovenClassesStillNameEveryOtherClassTheyDid() {
        Set<String> before = referencedClasses(original.get(Samples.CALLER));
        Set<String> after = referencedClasses(woven.get(Samples.CALLER));

        assertThat(after).containsAll(before).contains("xsched/karaf/compat/CurrentSubject");
    }

    private static Object call(IsolatedClassLoader loader, String className, String method) {
        return call(loader, className, method, new Class<?>[0]);
    }

    private static Object call(IsolatedClassLoader loader, String className, String method, Class<?>[] types,
            Object... args) {
        try {
            return loader.call(className, method, types, args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static MethodModel methodNamed(ClassModel model, String name) {
        return model.methods().stream().filter(m -> m.methodName().equalsString(name)).findFirst().orElseThrow();
    }

    private static int codeLength(MethodModel method) {
        return method.findAttribute(Attributes.code()).map(c -> c.codeLength()).orElse(0);
    }

    private static List<String> frameTypes(MethodModel method) {
        return method.findAttribute(Attributes.code())
                .flatMap(c -> c.findAttribute(Attributes.stackMapTable()))
                .map(StackMapTableAttribute::entries).orElse(List.of()).stream()
                .map(SubjectCallRewriterTest::describe)
                .toList();
    }

    private static String describe(StackMapFrameInfo frame) {
        return frame.frameType() + " " + frame.locals() + " " + frame.stack();
    }

    private static Set<String> referencedClasses(byte[] bytes) {
        Set<String> names = new HashSet<>();
        for (PoolEntry entry : ClassFile.of().parse(bytes).constantPool()) {
            if (entry instanceof ClassEntry classEntry) {
                names.add(classEntry.asInternalName());
            }
        }
        return names;
    }
}
