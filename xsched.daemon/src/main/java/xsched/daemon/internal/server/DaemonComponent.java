package xsched.daemon.internal.server;

import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xsched.api.Xsched;
import xsched.core.engine.ForeignQueues;

/**
 * The node daemon in OSGi. It listens when configuration {@value #PID} says {@code enabled=true},
 * or when the framework property {@code xsched.daemon.enabled} is {@code true} (what
 * {@code ./xsched daemon} sets); every setting may also come from a framework property
 * {@code xsched.daemon.<key>}. Registers itself as {@code DaemonComponent} for the shell's
 * {@code xsched:clients}.
 */
@Component(service = DaemonComponent.class, immediate = true, configurationPid = DaemonComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = {"osgi.command.scope=xsched", "osgi.command.function=clients"})
@Designate(ocd = DaemonComponent.Config.class)
public final class DaemonComponent {
    /** Configuration PID. */
    public static final String PID = "xsched.daemon";

    private static final Logger LOG = LoggerFactory.getLogger(DaemonComponent.class);

    /** Configuration. */
    @ObjectClassDefinition(name = "xsched node daemon", description = "One scheduler for every process of the node, over a Unix domain socket")
    public @interface Config {
        /** @return whether to listen */
        @AttributeDefinition(description = "Listen for client processes")
        boolean enabled() default false;

        /** @return the socket's path */
        @AttributeDefinition(name = "Socket path", description = "Empty: /run/xsched/xsched.sock for root, else $XDG_RUNTIME_DIR/xsched/xsched.sock")
        String socket_path() default "";

        /** @return the socket's mode */
        @AttributeDefinition(name = "Socket mode", description = "Octal file mode of the socket; who may connect")
        String socket_mode() default "0660";

        /** @return the socket's group */
        @AttributeDefinition(name = "Socket group", description = "Group of the socket file; empty: the daemon's")
        String socket_group() default "";

        /** @return the admin group */
        @AttributeDefinition(name = "Admin group", description = "Members may change the policy and act on every user's queues")
        String admin_group() default "xsched";

        /** @return the most clients */
        @AttributeDefinition(name = "Most connections")
        int max_connections() default 256;

        /** @return the most queues of one client */
        @AttributeDefinition(name = "Most queues per client")
        int max_queues_per_client() default 1024;

        /** @return the largest frame */
        @AttributeDefinition(name = "Largest frame (bytes)")
        int max_frame_bytes() default 65536;

        /** @return how long a connection may stay silent before its hello */
        @AttributeDefinition(name = "Hello timeout (ms)", description = "A connection that has not said hello by then is closed")
        int hello_timeout_ms() default 10_000;
    }

    private final NodeServer server;
    private final String notListening;

    @Activate
    public DaemonComponent(BundleContext context, Map<String, Object> properties, @Reference Xsched xsched,
            @Reference ForeignQueues foreignQueues) {
        Function<String, String> lookup = key -> {
            Object configured = properties.get(key);
            return configured != null ? configured.toString() : context.getProperty("xsched.daemon." + key);
        };
        NodeServer started = null;
        String why = null;
        if (!Boolean.parseBoolean(lookup.apply("enabled"))) {
            why = "the daemon is not enabled (configuration " + PID + ": enabled=true, or ./xsched daemon)";
        } else {
            try {
                started = NodeServer.start(xsched, foreignQueues, ServerSettings.from(lookup));
            } catch (IOException | IllegalArgumentException e) {
                why = "the daemon could not listen: " + e.getMessage();
                LOG.error(why);
            }
        }
        server = started;
        notListening = why;
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.close();
        }
    }

    /** Gogo command {@code xsched:clients}: prints the connected client processes. */
    public void clients() {
        System.out.println(server == null ? notListening : ClientTable.of(server.settings().socket(), server.clients()));
    }
}
