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
 * Runs console commands in a Karaf shell session, as an operator with the admin role would type
 * them, and returns what they printed. The subject is set with the compatibility bundle's
 * {@code CurrentSubject.doAs}, which is what Karaf's woven {@code JaasHelper.doAs} calls; Karaf's
 * own login path (JAAS, {@code JaasHelper}) is exercised by the ssh tests and by {@code BinKarafTest}.
 */
final class KarafConsole {
    private final SessionFactory sessions;
    private final Subject operator = new Subject();

    KarafConsole(SessionFactory sessions) {
        this.sessions = sessions;
        operator.getPrincipals().add(new UserPrincipal("operator"));
        for (String role : new String[] {"admin", "manager", "viewer", "systembundles"}) {
            operator.getPrincipals().add(new RolePrincipal(role));
        }
    }

    /** @return the commands (scope:name) this operator may run now; the registry shows each user their own */
    Set<String> commands() throws Exception {
        return CurrentSubject.doAs(operator, (PrivilegedExceptionAction<Set<String>>) () -> sessions.getRegistry().getCommands()
                .stream().map(c -> c.getScope() + ":" + c.getName()).collect(Collectors.toSet()));
    }

    /** @return what the command printed, and its result if it returned one */
    String run(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            // as Karaf's own JaasHelper.doAs does once woven: the subject also reaches the threads
            // the session starts for pipes, where the command ACLs are checked
            CurrentSubject.doAs(operator, (PrivilegedExceptionAction<Void>) () -> {
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
        System.out.printf("karaf@root()> %s%n%s%n", command, text);
        return text;
    }
}
