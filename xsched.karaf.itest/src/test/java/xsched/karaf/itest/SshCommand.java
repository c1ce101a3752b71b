package xsched.karaf.itest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.rmi.RemoteException;
import java.time.Duration;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;

/** {@code ssh -p PORT user@localhost command}: one command on an exec channel (Karaf ends the session after it). */
final class SshCommand {
    private SshCommand() {
    }

    /**
     * Karaf's ssh server starts with the boot features, after the console, and may refuse or drop
     * the first connections, and a user just added to {@code etc/users.properties} is known only
     * once Karaf has reread the file: connect and log in again until it works, at most 2 minutes
     * (a loaded CI machine is slow at all of this).
     */
    private static final Duration LOGIN_CAP = Duration.ofMinutes(2);

    private static ClientSession login(SshClient client, String user, String password, int port) throws IOException {
        long deadline = System.nanoTime() + LOGIN_CAP.toNanos();
        while (true) {
            ClientSession session = null;
            try {
                session = client.connect(user, "localhost", port).verify(Duration.ofSeconds(30)).getSession();
                session.addPasswordIdentity(password);
                session.auth().verify(Duration.ofSeconds(30));
                return session;
            } catch (IOException | IllegalStateException e) {
                if (session != null) {
                    session.close(true);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("no ssh login to localhost:" + port + " as " + user + " within " + LOGIN_CAP.toSeconds() + " s", e);
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the ssh server", e);
            }
        }
    }

    /**
     * @return what the command wrote to stdout and stderr, then "(exit status: …)" if it failed (Karaf
     *         writes why to stdout, e.g. "Error executing command: Insufficient credentials.")
     */
    static String run(int port, String user, String password, String command) throws IOException {
        try (SshClient client = SshClient.setUpDefaultClient()) {
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            client.start();
            try (ClientSession session = login(client, user, password, port)) {
                ByteArrayOutputStream stdout = new ByteArrayOutputStream();
                ByteArrayOutputStream stderr = new ByteArrayOutputStream();
                String failure = "";
                try {
                    session.executeRemoteCommand(command, stdout, stderr, StandardCharsets.UTF_8);
                } catch (RemoteException e) {
                    failure = "(exit status: " + e.getMessage() + ")";
                }
                String all = stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8) + failure;
                System.out.printf("ssh> %s%n%s%n", command, all);
                return all;
            }
        }
    }
}
