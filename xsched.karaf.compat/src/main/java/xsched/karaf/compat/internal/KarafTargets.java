package xsched.karaf.compat.internal;

import java.util.List;
import java.util.Map;

/**
 * The classes of Apache Karaf 4.4.10 that this bundle is known to have to weave, by bundle
 * symbolic name: every class under the distribution's {@code system/} that calls
 * {@code Subject.getSubject(AccessControlContext)}, and every private copy of
 * {@code org.apache.karaf.util.jaas.JaasHelper} (whose {@code doAs} bodies are replaced).
 *
 * <p>Found by scanning every jar of the distribution with the ClassFile API. Weaving itself
 * does not use this list (it weaves any class that needs it); the list only lets
 * {@link ExpectedTargetCheck} warn when a Karaf bundle no longer holds a class it names,
 * a sign that Karaf changed and the workaround may be incomplete.
 */
final class KarafTargets {
    /** Version of Karaf the list was taken from. */
    static final String KARAF_VERSION = "4.4.10";

    private static final String JAAS_HELPER = SubjectCallRewriter.JAAS_HELPER;

    /** Bundle symbolic name → binary names of the classes to weave in it. */
    static final Map<String, List<String>> EXPECTED = Map.of(
            "org.apache.karaf.services.eventadmin",
            List.of("org.apache.felix.eventadmin.impl.handler.EventAdminImpl"),
            "org.apache.karaf.shell.core",
            List.of("org.apache.karaf.shell.impl.console.osgi.secured.SecuredSessionFactoryImpl",
                    "org.apache.karaf.shell.support.ShellUtil",
                    JAAS_HELPER),
            "org.apache.karaf.shell.console",
            List.of("org.apache.karaf.shell.security.impl.SecuredCommandProcessorImpl",
                    "org.apache.karaf.shell.util.ShellUtil",
                    JAAS_HELPER),
            "org.apache.karaf.shell.ssh", List.of(JAAS_HELPER),
            "org.apache.karaf.jaas.command",
            List.of("org.apache.karaf.jaas.command.WhoamiCommand", JAAS_HELPER),
            "org.apache.karaf.management.server",
            List.of("org.apache.karaf.management.internal.BulkRequestContext", JAAS_HELPER),
            "org.apache.karaf.bundle.core", List.of(JAAS_HELPER));

    private KarafTargets() {
    }
}
