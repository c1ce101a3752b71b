package xsched.run.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.backend.cuda.CudaPlatform;
import xsched.backend.cuda.CudaUnavailableException;
import xsched.backend.cuda.embed.AdoptedStreams;
import xsched.core.embed.EmbeddedXsched;
import xsched.daemon.NodeClient;

/**
 * The in-application agent of {@code xsched run}: the interposer starts a JVM inside the program on
 * its first intercepted CUDA call and calls {@link #start()}, which opens xsched's CUDA backend
 * over the program's own streams ({@link AdoptedStreams}), connects to the node daemon and installs
 * the handlers of the calls that go through XQueues ({@link QueuedEntries}). From then on each
 * stream of the program is an XQueue over that same stream, scheduled by the daemon together with
 * every other process's queues.
 *
 * <p>Whatever goes wrong here — no CUDA, no daemon, a failure — the program runs on natively and
 * the agent says so once on stderr.
 */
public final class Agent {
    /** How long the agent waits for the daemon to answer before the program runs natively. */
    private static final Duration CONNECT = Duration.ofSeconds(2);
    /**
     * The launch window of gated (level 2) queues: the program runs ahead of its GPU by at most this
     * many commands; a closed gate holds them all, so a wide window costs no preemption latency.
     */
    private static final LaunchConfig GATED_WINDOW = new LaunchConfig(64, 16);
    /**
     * The launch window of level 1 queues with direct lanes: a lane opens for up to half the window,
     * so this one lets the program make 31 launches in C for each that comes up to Java (eager
     * ResNet-50 batch 1 on the H200: +10 % with it, +20 to +27 % with 16/8, whose fuller window also
     * held launches back). The node link narrows a queue's window while it is being suspended, so the
     * wider one did not lengthen the foreground's wait in either case study (docs/benchmarks/cuda-h200.md).
     */
    private static final LaunchConfig LANE_WINDOW = new LaunchConfig(64, 16);
    /**
     * The level of the program's queues unless {@code --level} says otherwise: 1. A gate holds a
     * suspended queue's kernels on its stream, which helps queues that share a context (and MPS);
     * but each program under {@code xsched run} is a context of its own, which the driver
     * time-slices against the others, and a stream waiting at a closed gate still counts as work:
     * the other program's kernels wait for the time slice to end (on the H200, foreground p99 2.85
     * ms with gated background queues against 1.15 ms with level-1 ones, {@code
     * docs/benchmarks/cuda-h200.md}). At level 1 a suspended queue's stream empties, and the node
     * link narrows its window while it is being suspended.
     */
    private static final PreemptLevel DEFAULT_LEVEL = PreemptLevel.LAUNCH;

    private Agent() {
    }

    /** Called once by the interposer (through JNI) on the program's first intercepted call. Never throws. */
    public static void start() {
        try {
            // the program's stderr is not a log: xsched's own logging says only warnings there unless asked
            if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            }
            // the launcher sets CUDA_DEVICE_MAX_CONNECTIONS before the program starts; setting it now would be too late
            System.setProperty("xsched.cuda.connections", "none");
            RunSettings settings = RunSettings.from(System.getenv(), ProcessHandle.current().info().command()
                    .map(c -> Path.of(c).getFileName().toString()).orElse("pid " + ProcessHandle.current().pid()));
            settings.problems().forEach(Say::line);
            String library = System.getenv("XSCHED_INTERPOSER");
            if (library == null || library.isBlank()) {
                Say.line("running natively: XSCHED_INTERPOSER does not name the interposer library");
                return;
            }
            Interposer table = Interposer.at(Path.of(library));
            Path socket = NodeClient.defaultSocket();
            if (!Files.exists(socket)) {
                Say.line("running natively: no xsched daemon at " + socket + " (start one with 'xsched daemon', or set XSCHED_SOCKET)");
                return;
            }
            CudaPlatform platform;
            try {
                platform = CudaPlatform.open();
            } catch (CudaUnavailableException e) {
                Say.line("running natively: " + e.getMessage());
                return;
            }
            connect(settings, table, socket, platform);
        } catch (RuntimeException | LinkageError e) {
            Say.line("running natively: the agent failed to start: " + e);
        }
    }

    private static void connect(RunSettings settings, Interposer table, Path socket, CudaPlatform platform) {
        boolean gate = settings.level().orElse(DEFAULT_LEVEL.number()) >= 2;
        AdoptedStreams backend = new AdoptedStreams(platform, gate);
        NodeClient client = NodeClient.connect(EmbeddedXsched.builder().backend(backend), settings.name(), socket);
        boolean connected;
        try {
            connected = client.awaitConnected(CONNECT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connected = false;
        }
        if (!connected) {
            client.close();
            platform.close();
            Say.line("running natively: the xsched daemon at " + socket + " did not answer within " + CONNECT.toSeconds() + " s");
            return;
        }
        long pid = ProcessHandle.current().pid();
        settings.priority().ifPresent(p -> client.xsched().hint(new Hint.Priority(HintTarget.process(pid), p)));
        settings.utilization().ifPresent(u -> client.xsched().hint(new Hint.Utilization(HintTarget.process(pid), u)));
        settings.deadline().ifPresent(d -> client.xsched().hint(new Hint.Deadline(HintTarget.process(pid), d)));
        boolean lanes = !"0".equals(System.getenv("XSCHED_RUN_LANES"));
        QueueOptions options = QueueOptions.defaults().withName(settings.name()).withLaunch(settings.window().orElse(
                backend.devices().stream().anyMatch(d -> d.maxLevel().number() >= 2) ? GATED_WINDOW
                        : lanes ? LANE_WINDOW : LaunchConfig.DEFAULT));
        options = options.withLevel(PreemptLevel.of(settings.level().orElse(DEFAULT_LEVEL.number())));
        // per-thread default streams are level 1 queues (their owner thread makes every operation on
        // them, and a gate would have to be operated from there too): a narrow window bounds what a
        // suspended one lets run
        QueueOptions perThread = options.withLevel(PreemptLevel.LAUNCH).withLaunch(settings.window().orElse(LaunchConfig.DEFAULT));
        String warmed = warmUp(table, platform, gate, options, lanes, settings.warmUpCalls());
        AppStreams streams = new AppStreams(new CudaStreams(client.xsched(), backend, options, perThread),
                lanes ? table : AppStreams.Lanes.NONE);
        int installed = QueuedEntries.install(table, streams, lanes);
        if ("1".equals(System.getenv("XSCHED_RUN_STATS"))) {
            Thread.ofPlatform().daemon().name("xsched-run-stats").start(() -> {
                try {
                    while (true) {
                        Thread.sleep(1000);
                        Say.line(streams.stats().describe() + "; " + streams.scheduled() + " streams scheduled");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        if ("1".equals(System.getenv("XSCHED_RUN_VERBOSE"))) {
            Say.line("agent started in pid " + pid + " ('" + settings.name() + "'), connected to " + socket + "; "
                    + installed + " of " + table.entries() + " CUDA entry points go through XQueues; " + platform.describe()
                    + "; " + backend.devices().stream().map(d -> d.id() + " Lv" + d.maxLevel().number()).toList()
                    + ", queues at " + options.level().map(l -> "Lv" + l.number()).orElse("the device's level")
                    + ", launch window " + options.launch().describe() + "; " + warmed);
        }
    }

    /** @return what the warm-up did, for the verbose line; a failure is said at once (the program runs on) */
    private static String warmUp(Interposer table, CudaPlatform platform, boolean gate, QueueOptions options, boolean lanes, int calls) {
        if (calls == 0) {
            return "no warm-up";
        }
        try {
            WarmUp.Done done = WarmUp.run(table, platform, gate, options, lanes, calls);
            return "warm-up: " + calls + " launches in " + done.took().toMillis() + " ms"
                    + (done.laned() > 0 ? ", " + done.laned() + " more through its lane" : "");
        } catch (RuntimeException e) {
            Say.line("the warm-up failed (" + e.getMessage() + "); the first calls will be slower");
            return "warm-up failed";
        }
    }
}
