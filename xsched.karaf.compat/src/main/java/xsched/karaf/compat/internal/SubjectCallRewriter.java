package xsched.karaf.compat.internal;

import static java.lang.constant.ConstantDescs.CD_Object;

import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.lang.classfile.Opcode;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.classfile.attribute.StackMapTableAttribute;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.AccessFlag;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import xsched.karaf.compat.CurrentSubject;

/**
 * Rewrites a class file so that it works on Java 24+: every
 * {@code invokestatic Subject.getSubject(AccessControlContext)} becomes an
 * {@code invokestatic} of {@link CurrentSubject#getSubject}, and in
 * {@code org.apache.karaf.util.jaas.JaasHelper} the two static {@code doAs} methods get a
 * body that only delegates to {@link CurrentSubject}'s {@code doAs}.
 *
 * <p>The class keeps its class-file version. Stack maps are not regenerated, because that
 * needs the class hierarchy of the woven bundle: a redirected call has the same size and
 * the same descriptor as the original, so the method keeps the frames it had, and a new
 * {@code doAs} body is straight-line code that needs none. As a guard, a method whose code
 * length changed anyway is an error.
 */
final class SubjectCallRewriter {
    /** Binary name of the Karaf class whose {@code doAs} bodies are replaced. */
    static final String JAAS_HELPER = "org.apache.karaf.util.jaas.JaasHelper";

    private static final String SUBJECT = "javax/security/auth/Subject";
    private static final String GET_SUBJECT = "getSubject";
    private static final MethodTypeDesc GET_SUBJECT_TYPE = MethodTypeDesc.of(
            ClassDesc.of("javax.security.auth.Subject"), ClassDesc.of("java.security.AccessControlContext"));
    private static final String DO_AS = "doAs";
    private static final List<MethodTypeDesc> DO_AS_TYPES = List.of(
            MethodTypeDesc.of(CD_Object, ClassDesc.of("javax.security.auth.Subject"),
                    ClassDesc.of("java.security.PrivilegedAction")),
            MethodTypeDesc.of(CD_Object, ClassDesc.of("javax.security.auth.Subject"),
                    ClassDesc.of("java.security.PrivilegedExceptionAction")));
    private static final ClassDesc CURRENT_SUBJECT = ClassDesc.of(CurrentSubject.class.getName());
    private static final byte[] MARKER = GET_SUBJECT.getBytes(StandardCharsets.US_ASCII);

    /** What a rewrite changed, with the new class file. */
    record Rewrite(byte[] bytes, int redirectedCalls, int replacedDoAs) {
        @Override
        public String toString() {
            return redirectedCalls + " Subject.getSubject call(s) redirected, " + replacedDoAs + " doAs bod(ies) replaced";
        }
    }

    private final ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.DROP_STACK_MAPS);

    /**
     * Rewrites one class if it needs it.
     *
     * @param className binary name of the class, as a weaving hook gets it
     * @param bytes the class file
     * @return the rewritten class and what changed, or {@code null} if nothing needs changing
     * @throws IllegalArgumentException if the class file cannot be parsed or rewritten
     */
    Rewrite rewrite(String className, byte[] bytes) {
        boolean jaasHelper = JAAS_HELPER.equals(className);
        if (!jaasHelper && !contains(bytes, MARKER)) {
            return null;
        }
        ClassModel model = classFile.parse(bytes);
        int calls = 0;
        int doAs = 0;
        for (MethodModel method : model.methods()) {
            if (jaasHelper && isDoAs(method)) {
                doAs++;
            } else {
                calls += countCalls(method);
            }
        }
        if (calls == 0 && doAs == 0) {
            return null;
        }
        boolean replaceDoAs = jaasHelper;
        byte[] rewritten = classFile.transformClass(model, (builder, element) -> {
            if (element instanceof MethodModel method && replaceDoAs && isDoAs(method)) {
                builder.transformMethod(method, delegatingBody(method.methodTypeSymbol()));
            } else if (element instanceof MethodModel method && countCalls(method) > 0) {
                builder.transformMethod(method, redirectingCalls());
            } else {
                builder.with(element);
            }
        });
        checkShapeKept(model, classFile.parse(rewritten), replaceDoAs);
        return new Rewrite(rewritten, calls, doAs);
    }

    private static boolean isDoAs(MethodModel method) {
        return method.methodName().equalsString(DO_AS)
                && method.flags().has(AccessFlag.STATIC)
                && DO_AS_TYPES.contains(method.methodTypeSymbol());
    }

    private static int countCalls(MethodModel method) {
        Optional<CodeModel> code = method.code();
        if (code.isEmpty()) {
            return 0;
        }
        int calls = 0;
        for (CodeElement element : code.get()) {
            if (isGetSubject(element)) {
                calls++;
            }
        }
        return calls;
    }

    private static boolean isGetSubject(CodeElement element) {
        return element instanceof InvokeInstruction invoke
                && invoke.opcode() == Opcode.INVOKESTATIC
                && invoke.owner().asInternalName().equals(SUBJECT)
                && invoke.name().equalsString(GET_SUBJECT)
                && invoke.typeSymbol().equals(GET_SUBJECT_TYPE);
    }

    /** The same code with the calls swapped, and the method's original stack map frames. */
    private static MethodTransform redirectingCalls() {
        return (builder, element) -> {
            if (element instanceof CodeModel code) {
                Optional<StackMapTableAttribute> frames = code.findAttribute(Attributes.stackMapTable());
                CodeTransform swap = (codeBuilder, codeElement) -> {
                    if (isGetSubject(codeElement)) {
                        codeBuilder.invokestatic(CURRENT_SUBJECT, GET_SUBJECT, GET_SUBJECT_TYPE);
                    } else {
                        codeBuilder.with(codeElement);
                    }
                };
                builder.transformCode(code, swap.andThen(CodeTransform.endHandler(end -> frames.ifPresent(end::with))));
            } else {
                builder.with(element);
            }
        };
    }

    /** {@code return CurrentSubject.doAs(subject, action);} in place of the old body. */
    private static MethodTransform delegatingBody(MethodTypeDesc type) {
        return (builder, element) -> {
            if (element instanceof CodeModel) {
                builder.withCode(code -> code
                        .aload(0)
                        .aload(1)
                        .invokestatic(CURRENT_SUBJECT, DO_AS, type)
                        .areturn());
            } else {
                builder.with(element);
            }
        };
    }

    /** The kept stack maps are only right if no method but a new doAs changed size or lost them. */
    private static void checkShapeKept(ClassModel before, ClassModel after, boolean jaasHelper) {
        List<MethodModel> originals = before.methods();
        List<MethodModel> rewritten = after.methods();
        if (originals.size() != rewritten.size()) {
            throw new IllegalArgumentException("rewrite changed the number of methods");
        }
        for (int i = 0; i < originals.size(); i++) {
            MethodModel original = originals.get(i);
            if (jaasHelper && isDoAs(original)) {
                continue;
            }
            Optional<CodeAttribute> codeBefore = codeOf(original);
            Optional<CodeAttribute> codeAfter = codeOf(rewritten.get(i));
            int lengthBefore = codeBefore.map(CodeAttribute::codeLength).orElse(0);
            int lengthAfter = codeAfter.map(CodeAttribute::codeLength).orElse(0);
            boolean framesBefore = codeBefore.flatMap(c -> c.findAttribute(Attributes.stackMapTable())).isPresent();
            boolean framesAfter = codeAfter.flatMap(c -> c.findAttribute(Attributes.stackMapTable())).isPresent();
            if (lengthBefore != lengthAfter || framesBefore != framesAfter) {
                throw new IllegalArgumentException("rewrite changed the shape of " + original.methodName()
                        + original.methodType() + ": code length " + lengthBefore + " -> " + lengthAfter
                        + ", stack map " + framesBefore + " -> " + framesAfter);
            }
        }
    }

    private static Optional<CodeAttribute> codeOf(MethodModel method) {
        return method.findAttribute(Attributes.code());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0, last = haystack.length - needle.length; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
