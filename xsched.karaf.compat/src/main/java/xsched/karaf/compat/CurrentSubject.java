package xsched.karaf.compat;

import java.security.AccessControlContext;
import java.security.PrivilegedAction;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import javax.security.auth.Subject;

/**
 * The JAAS subject of the current thread, for Karaf code woven to run on Java 24+.
 *
 * <p>Java 24 (JEP 486) made {@code Subject.getSubject(AccessControlContext)} throw
 * {@link UnsupportedOperationException} and made the {@code AccessControlContext} that
 * Karaf's {@code JaasHelper.doAs} builds carry nothing. The woven code calls this class
 * instead: {@link #getSubject} for every {@code Subject.getSubject} call, and the two
 * {@code doAs} methods as the whole body of every copy of
 * {@code org.apache.karaf.util.jaas.JaasHelper.doAs}.
 *
 * <p>The subject travels two ways. {@link Subject#callAs} binds it to the current thread,
 * where {@link Subject#current()} sees it. That binding is not inherited by the plain
 * threads Karaf starts for the console, pipes and ssh sessions, so the subject is also kept
 * in an {@link InheritableThreadLocal} that such threads copy when they are created. This
 * is what the old {@code AccessControlContext} did: a new thread inherited the context,
 * and with it the subject, of the thread that created it.
 */
public final class CurrentSubject {
    private static final InheritableThreadLocal<Subject> INHERITED = new InheritableThreadLocal<>();

    private CurrentSubject() {
    }

    /**
     * Replaces {@code Subject.getSubject(AccessControlContext)}, with the same descriptor.
     *
     * @param context ignored: on Java 24+ an access control context carries no subject
     * @return the subject bound by {@link Subject#callAs} if there is one, else the subject of
     *         the innermost {@code doAs} of this thread or of the thread that created it, else
     *         {@code null}
     */
    @SuppressWarnings("removal")
    public static Subject getSubject(AccessControlContext context) {
        Subject current = Subject.current();
        return current != null ? current : INHERITED.get();
    }

    /**
     * Replaces the body of {@code JaasHelper.doAs(Subject, PrivilegedAction)}: runs the action
     * as the subject, visible to {@link Subject#current()}, to {@link #getSubject} and to
     * threads the action creates.
     *
     * @param <T> what the action returns
     * @param subject the subject to run as, may be {@code null}
     * @param action the action to run
     * @return what the action returned
     * @throws NullPointerException if the action is {@code null}, as in Karaf's JaasHelper
     */
    public static <T> T doAs(Subject subject, PrivilegedAction<T> action) {
        Objects.requireNonNull(action, "action");
        Subject previous = INHERITED.get();
        INHERITED.set(subject);
        try {
            return Subject.callAs(subject, action::run);
        } catch (CompletionException e) {
            throw unwrapped(e);
        } finally {
            restore(previous);
        }
    }

    /**
     * Replaces the body of {@code JaasHelper.doAs(Subject, PrivilegedExceptionAction)}, with
     * its contract: a checked exception from the action comes wrapped in a
     * {@link PrivilegedActionException}, an unchecked one comes as it is.
     *
     * @param <T> what the action returns
     * @param subject the subject to run as, may be {@code null}
     * @param action the action to run
     * @return what the action returned
     * @throws PrivilegedActionException if the action threw a checked exception
     * @throws NullPointerException if the action is {@code null}, as in Karaf's JaasHelper
     */
    public static <T> T doAs(Subject subject, PrivilegedExceptionAction<T> action)
            throws PrivilegedActionException {
        Objects.requireNonNull(action, "action");
        Subject previous = INHERITED.get();
        INHERITED.set(subject);
        try {
            return Subject.callAs(subject, action::run);
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception checked && !(checked instanceof RuntimeException)) {
                throw new PrivilegedActionException(checked);
            }
            throw unwrapped(e);
        } finally {
            restore(previous);
        }
    }

    /** {@link Subject#callAs} wraps whatever the action throws; Karaf's callers expect it bare. */
    private static RuntimeException unwrapped(CompletionException e) {
        if (e.getCause() instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (e.getCause() instanceof Error error) {
            throw error;
        }
        return e;
    }

    private static void restore(Subject previous) {
        if (previous == null) {
            INHERITED.remove();
        } else {
            INHERITED.set(previous);
        }
    }
}
