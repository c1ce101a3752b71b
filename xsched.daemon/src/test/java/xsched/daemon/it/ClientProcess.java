package xsched.daemon.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostKernel;
import xsched.core.embed.EmbeddedXsched;
import xsched.daemon.NodeClient;

/**
 * An application in its own JVM, scheduled by the daemon, driven line by line on stdin by a test:
 * {@code open NAME PRIORITY}, {@code work Q N MILLIS}, {@code gated Q N} (kernels that wait for the next {@code release}),
 * {@code await Q}, {@code status Q}, {@code hint-pid PID PRIORITY}, {@code policy NAME},
 * {@code refusals}, {@code exit}. Answers one line per command on stdout.
 */
public final class ClientProcess {
    private ClientProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        String name = args[1];
        Map<Long, XQueue> queues = new ConcurrentHashMap<>();
        AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(1));
        try (HostBackend host = new HostBackend(1, PreemptLevel.INTERRUPT);
                NodeClient client = NodeClient.connect(EmbeddedXsched.builder().backend(host), name, socket)) {
            say("ready pid " + ProcessHandle.current().pid());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.strip().split("\\s+");
                try {
                    switch (w[0]) {
                        case "connected" -> say("connected " + client.awaitConnected(Duration.ofSeconds(60)));
                        case "open" -> {
                            XQueue q = client.xsched().createQueue("host:0", QueueOptions.defaults().withName(w[1]));
                            queues.put(q.id(), q);
                            client.xsched().hint(new Hint.Priority(HintTarget.queue(q.id()), Integer.parseInt(w[2])));
                            say("opened " + q.id());
                        }
                        case "work" -> {
                            XQueue q = queues.get(Long.parseLong(w[1]));
                            long millis = Long.parseLong(w[3]);
                            for (int i = 0; i < Integer.parseInt(w[2]); i++) {
                                q.submit(HostKernel.of("sleep", 1, (b, ctx) -> sleep(millis)));
                            }
                            say("submitted " + q.submitted());
                        }
                        case "gated" -> {
                            XQueue q = queues.get(Long.parseLong(w[1]));
                            CountDownLatch g = gate.updateAndGet(old -> old.getCount() == 0 ? new CountDownLatch(1) : old);
                            for (int i = 0; i < Integer.parseInt(w[2]); i++) {
                                q.submit(HostKernel.of("gated", 1, (b, ctx) -> awaitGate(g)));
                            }
                            say("submitted " + q.submitted());
                        }
                        case "release" -> {
                            gate.get().countDown();
                            say("released");
                        }
                        case "await" -> {
                            XQueue q = queues.get(Long.parseLong(w[1]));
                            q.awaitAll();
                            say("done " + q.finished() + " of " + q.submitted());
                        }
                        case "status" -> {
                            XQueue q = queues.get(Long.parseLong(w[1]));
                            say("status connected=" + client.connected() + " connections=" + client.connections() + " suspended="
                                    + q.suspended() + " node=" + client.nodeId(q.id()) + " finished=" + q.finished()
                                    + " submitted=" + q.submitted());
                        }
                        case "open-plain" -> {
                            XQueue q = client.xsched().createQueue("host:0", QueueOptions.defaults().withName(w[1]));
                            queues.put(q.id(), q);
                            say("opened " + q.id());
                        }
                        case "hint-self" -> {
                            client.xsched().hint(new Hint.Priority(HintTarget.process(ProcessHandle.current().pid()), Integer.parseInt(w[1])));
                            say("hinted");
                        }
                        case "hint-pid" -> {
                            client.xsched().hint(new Hint.Priority(HintTarget.process(Long.parseLong(w[1])), Integer.parseInt(w[2])));
                            say("hinted");
                        }
                        case "policy" -> say("requested " + client.requestPolicy(w[1]));
                        case "refusals" -> say("refusals " + client.refusals().size() + " " + String.join(" | ", client.refusals()));
                        case "exit" -> {
                            say("bye");
                            return;
                        }
                        default -> say("error unknown command " + w[0]);
                    }
                } catch (RuntimeException e) {
                    say("error " + e);
                }
            }
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitGate(CountDownLatch gate) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
