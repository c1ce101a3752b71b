package xsched.karaf.itest;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/**
 * The Pax Exam options that start the xsched Karaf distribution built by {@code xsched.karaf}
 * (its tarball, unpacked under {@code target/exam}) on the JVM running the tests, Java 25.
 */
final class XschedDistribution {
    /** A user the tests add for ssh; the distribution itself ships none. */
    static final String SSH_USER = "xtest";
    static final String SSH_PASSWORD = "xtest-" + Long.toHexString(System.nanoTime());
    static final String SSH_PORT_PROPERTY = "xsched.test.ssh.port";
    static final String EXAMPLE_BACKEND_PROPERTY = "xsched.test.example.backend";

    private XschedDistribution() {
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set; run the tests through Maven");
        }
        return value;
    }

    /** @return a TCP port nothing listens on now */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Option[] options() {
        File tarball = new File(required("xsched.karaf.distribution"));
        if (!tarball.isFile()) {
            throw new IllegalStateException("no distribution at " + tarball + "; build xsched.karaf first");
        }
        File example = new File(required("xsched.karaf.example.backend"));
        int sshPort = freePort();
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(tarball.toURI().toString())
                    .name("xsched Karaf")
                    .karafVersion("4.4.10")
                    .unpackDirectory(new File(required("xsched.karaf.exam.dir")))
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.INFO),
            // what the distribution's bin/setenv gives bin/karaf
            vmOption("--enable-native-access=ALL-UNNAMED"),
            vmOption("--sun-misc-unsafe-memory-access=allow"),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(sshPort)),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(freePort())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(freePort())),
            editConfigurationFilePut("etc/users.properties", SSH_USER, hashed(SSH_PASSWORD) + ",admin,manager,viewer,systembundles,ssh"),
            systemProperty(SSH_PORT_PROPERTY).value(Integer.toString(sshPort)),
            systemProperty("xsched.test.ssh.password").value(SSH_PASSWORD),
            systemProperty(EXAMPLE_BACKEND_PROPERTY).value(example.toURI().toString()),
        };
    }

    /**
     * @param password a password
     * @return it as etc/users.properties holds it hashed, {@code {CRYPT}<SHA-256 in hex>{CRYPT}}, what
     *         README.md tells an operator to write: Karaf then never rewrites the file (a password in
     *         plain text it hashes on a login and when the file changes, from more than one thread;
     *         twice in CI every login was refused after that rewrite)
     */
    static String hashed(String password) {
        try {
            return "{CRYPT}" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8)))
                    + "{CRYPT}";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
