package xsched.karaf.compat.internal;

import java.util.Map;

/** Sources of the classes the tests weave, imitating what Karaf does on Java 24+. */
final class Samples {
    static final String CALLER = "sample.Caller";
    static final String JAAS_HELPER = "org.apache.karaf.util.jaas.JaasHelper";
    static final String PLAIN = "sample.Plain";

    /** Calls Subject.getSubject like Karaf's EventAdmin and ShellUtil; compiled for Java 8. */
    static final Map<String, String> CALLER_SOURCE = Map.of(CALLER, """
            package sample;

            import java.security.AccessControlContext;
            import java.security.AccessController;
            import java.security.Principal;
            import java.util.ArrayList;
            import java.util.Collection;
            import java.util.LinkedList;
            import javax.security.auth.Subject;

            public class Caller {
                public static Subject current() {
                    AccessControlContext acc = AccessController.getContext();
                    return acc == null ? null : Subject.getSubject(acc);
                }

                public static String names() {
                    Subject subject = Subject.getSubject(AccessController.getContext());
                    Collection<String> names = subject == null ? new ArrayList<String>() : new LinkedList<String>();
                    if (subject != null) {
                        for (Principal p : subject.getPrincipals()) {
                            names.add(p.getName());
                        }
                    }
                    try {
                        if (names.isEmpty()) {
                            return null;
                        }
                    } catch (RuntimeException e) {
                        throw e;
                    }
                    return String.join(",", names);
                }

                public static Subject inNewThread() throws InterruptedException {
                    final Subject[] seen = new Subject[1];
                    Thread thread = new Thread(new Runnable() {
                        public void run() {
                            seen[0] = current();
                        }
                    });
                    thread.start();
                    thread.join();
                    return seen[0];
                }

                public static int untouched(int n) {
                    int sum = 0;
                    for (int i = 0; i < n; i++) {
                        sum += i % 3 == 0 ? i : -1;
                    }
                    return sum;
                }
            }
            """);

    /**
     * Karaf 4.4.10's JaasHelper, the parts that matter, with the same signatures; compiled for
     * Java 11 like Karaf. On Java 24+ its doAs runs the action without the subject.
     */
    static final Map<String, String> JAAS_HELPER_SOURCE = Map.of(JAAS_HELPER, """
            package org.apache.karaf.util.jaas;

            import java.security.AccessControlContext;
            import java.security.AccessController;
            import java.security.Principal;
            import java.security.PrivilegedAction;
            import java.security.PrivilegedActionException;
            import java.security.PrivilegedExceptionAction;
            import javax.security.auth.Subject;
            import javax.security.auth.SubjectDomainCombiner;

            public class JaasHelper {
                public static boolean currentUserHasRole(String role) {
                    AccessControlContext acc = AccessController.getContext();
                    if (acc == null) {
                        return false;
                    }
                    Subject subject = Subject.getSubject(acc);
                    if (subject == null) {
                        return false;
                    }
                    for (Principal p : subject.getPrincipals()) {
                        if (p.getName().equals(role)) {
                            return true;
                        }
                    }
                    return false;
                }

                public static void runAs(final Subject subject, final Runnable action) {
                    if (action == null) {
                        throw new NullPointerException();
                    }
                    doAs(subject, (PrivilegedAction<Object>) () -> {
                        action.run();
                        return null;
                    });
                }

                public static <T> T doAs(final Subject subject, final PrivilegedAction<T> action) {
                    if (action == null) {
                        throw new NullPointerException();
                    }
                    final AccessControlContext acc = AccessController.getContext();
                    final AccessControlContext newAcc = AccessController.doPrivileged(
                            (PrivilegedAction<AccessControlContext>) () -> new AccessControlContext(
                                    acc, subject != null ? new SubjectDomainCombiner(subject) : null));
                    return AccessController.doPrivileged(action, newAcc);
                }

                public static <T> T doAs(final Subject subject, final PrivilegedExceptionAction<T> action)
                        throws PrivilegedActionException {
                    if (action == null) {
                        throw new NullPointerException();
                    }
                    final AccessControlContext acc = AccessController.getContext();
                    final AccessControlContext newAcc = AccessController.doPrivileged(
                            (PrivilegedAction<AccessControlContext>) () -> new AccessControlContext(
                                    acc, subject != null ? new SubjectDomainCombiner(subject) : null));
                    return AccessController.doPrivileged(action, newAcc);
                }
            }
            """);

    /** Mentions getSubject, but never calls Subject.getSubject(AccessControlContext). */
    static final Map<String, String> PLAIN_SOURCE = Map.of(PLAIN, """
            package sample;

            import javax.security.auth.login.LoginContext;

            public class Plain {
                public static String getSubject() {
                    return "getSubject";
                }

                public static Object fromLogin(LoginContext login) {
                    return login.getSubject();
                }
            }
            """);

    private Samples() {
    }
}
