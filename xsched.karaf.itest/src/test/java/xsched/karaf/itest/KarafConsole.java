package xsched.karaf.itest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.Subject;
import xsched.karaf.compat.CurrentSubject;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;

/**
 * Runs console commands in a Karaf shell session, as a user with the given roles (by default an
 * operator with the admin role) would type them, and returns what they printed. Karaf's command
 * ACLs ({@code etc/org.apache.karaf.command.acl.*.cfg}) see these roles. The subject is set with
 * the compatibility bundle's {@code CurrentSubject.doAs}, which is what Karaf's woven
 * {@code JaasHelper.doAs} calls; Karaf's
 * own login path (JAAS, {@code JaasHelper}) is exercised by the ssh tests and by {@code BinKarafTest}.
 */
final class KarafConsole {
    private final SessionFactory sessions;
    private final String user;
    private final Subject subject = new Subject();

    /** An operator with the roles of Karaf's admin group: admin, manager, viewer, systembundles. */
    KarafConsole(SessionFactory sessions) {
        this(sessions, "operator", "admin", "manager", "viewer", "systembundles");
    }

    /** A user with exactly these roles. */
    KarafConsole(SessionFactory sessions, String user, String... roles) {
        this.sessions = sessions;
        this.user = user;
        subject.getPrincipals().add(new UserPrincipal(user));
        for (String role : roles) {
            subject.getPrincipals().add(new RolePrincipal(role));
        }
    }

    /**
     * @return the commands (scope:name) registered now, whether or not the command ACLs let this
     *         user run them: the registry does not filter, running a hidden command fails
     */
    Set<String> commands() throws Exception {
        return CurrentSubject.doAs(subject, (PrivilegedExceptionAction<Set<String>>) () -> sessions.getRegistry().getCommands()
                .stream().map(c -> c.getScope() + ":" + c.getName()).collect(Collectors.toSet()));
    }

    /**
     * @return what the command printed, and its result if it returned one
     * @throws SecurityException if the command ACL lets this user see the command but not run it with these arguments
     * @throws IllegalArgumentException (Gogo's {@code CommandNotFoundException}) if the command does not exist
     *         or the command ACL hides it from this user
     */
    String run(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            // as Karaf's own JaasHelper.doAs does once woven: the subject also reaches the threads
            // the session starts for pipes, where the command ACLs are checked
            CurrentSubject.doAs(subject, (PrivilegedExceptionAction<Void>) () -> {
                Session session = sessions.create(new ByteArrayInputStream(new byte[0]), out, out);
                try {
                    Object result = session.execute(command);
                    if (result != null) {
                        out.println(result);
                    }
                } finally {
                    session.close();
                }
                return null;
            });
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        System.out.printf("%s@root()> %s%n%s%n", user, command, text);
        return text;
    }
}
