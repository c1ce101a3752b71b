package xsched.daemon.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import xsched.api.dto.QueueDTO;
import xsched.core.embed.EmbeddedXsched;
import xsched.daemon.internal.server.NodeServer;
import xsched.daemon.internal.server.ServerSettings;
import xsched.policy.hpf.HighestPriorityFirst;

/**
 * A node daemon in its own JVM (HPF, plain Java), driven on stdin: {@code queues} prints one line
 * per queue, {@code exit} stops it.
 */
public final class DaemonProcess {
    private DaemonProcess() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().policy("hpf", new HighestPriorityFirst()).build();
                NodeServer server = NodeServer.start(xsched, xsched.foreignQueues(),
                        ServerSettings.at(Path.of(args[0])).withMode(Integer.parseInt(args[1], 8)))) {
            System.out.println("listening");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                switch (line.strip()) {
                    case "queues" -> {
                        StringBuilder out = new StringBuilder("queues");
                        for (QueueDTO q : xsched.snapshot().queues) {
                            out.append(' ').append(q.name).append(':').append(q.pid).append(':').append(q.state).append(':')
                                    .append(q.suspended);
                        }
                        System.out.println(out);
                    }
                    case "exit" -> {
                        System.out.println("bye");
                        return;
                    }
                    default -> System.out.println("error unknown command " + line);
                }
                System.out.flush();
            }
        }
    }
}
