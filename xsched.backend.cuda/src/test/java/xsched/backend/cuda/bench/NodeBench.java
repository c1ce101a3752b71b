package xsched.backend.cuda.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.CudaPlatform;
import xsched.backend.cuda.KernelLaunch;
import xsched.backend.cuda.NativeStream;
import xsched.backend.cuda.StockKernels;
import xsched.backend.cuda.embed.CudaBackends;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostTask;
import xsched.core.embed.EmbeddedXsched;
import xsched.daemon.NodeClient;
import xsched.daemon.internal.server.NodeServer;
import xsched.daemon.internal.server.ServerSettings;
import xsched.policy.hpf.HighestPriorityFirst;

/**
 * Two processes on one GPU: a periodic whole-GPU foreground (the 3-layer MLP job of {@link
 * ForegroundBench}) and a saturating background (100 µs spin kernels over every SM), natively
 * (time-slicing), under MPS, and under the node daemon (HPF, foreground priority 10, background 0)
 * at Lv1 and Lv2; plus the edge → decision-applied latency across processes and the daemon's CPU
 * with 64 connected queues (host XPU). One orchestrating JVM starts every other process (this
 * class in other roles) and prints a table last.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp ... xsched.backend.cuda.bench.NodeBench [quick]}
 */
public final class NodeBench {
    private static final long PERIOD_NANOS = 4_000_000;
    private static final long BG_KERNEL_NANOS = 100_000;
    private static final int WARM_UP_JOBS = 1000;
    private static final List<String> POLL = List.of("-Dxsched.scheduler.spin.us=10000", "-Dxsched.daemon.spin.us=10000");

    private NodeBench() {
    }

    public static void main(String[] args) throws Exception {
        String role = args.length > 0 ? args[0] : "full";
        switch (role) {
            case "daemon" -> daemon(Path.of(args[1]), args.length > 2 && args[2].equals("watch"));
            case "fg" -> foreground(args[1], Path.of(args[2]), Integer.parseInt(args[3]), Boolean.parseBoolean(args[4]), Path.of(args[5]));
            case "bg" -> background(args[1], Path.of(args[2]), Boolean.parseBoolean(args[3]), Path.of(args[4]));
            case "holder" -> holder(Path.of(args[1]));
            case "edges" -> edges(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "host" -> {
                Path work = Files.createTempDirectory("xsched-nodebench");
                List<String> table = new ArrayList<>();
                daemonCpu(table, work, work.resolve("xsched.sock"), true, "");
                failover(table, work, work.resolve("xsched.sock"));
                table.forEach(System.out::println);
            }
            default -> orchestrate(role.equals("quick"));
        }
    }

    // ---------------------------------------------------------------- roles

    private static void daemon(Path socket, boolean watch) throws Exception {
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().policy("hpf", new HighestPriorityFirst()).build();
             NodeServer server = NodeServer.start(xsched, xsched.foreignQueues(), ServerSettings.at(socket))) {
            // reports each client's departure as this JVM sees it (its queues are gone by then)
            Thread departures = Thread.ofPlatform().daemon().unstarted(() -> {
                java.util.Set<Long> present = new java.util.HashSet<>();
                while (true) {
                    java.util.Set<Long> now = new java.util.HashSet<>();
                    server.clients().forEach(c -> now.add(c.pid()));
                    long at = System.nanoTime();
                    for (Long pid : present) {
                        if (!now.contains(pid)) {
                            say("left " + pid + " " + at);
                        }
                    }
                    present = now;
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                }
            });
            if (watch) {
                departures.start();
            }
            say("listening");
            waitForStdinEnd();
        }
    }

    /**
     * A client whose low-priority queue the daemon keeps suspended (a high-priority queue of the same
     * process holds a kernel that never ends); prints when the low queue runs again.
     */
    private static void holder(Path socket) throws Exception {
        try (HostBackend host = new HostBackend(1, PreemptLevel.INTERRUPT);
             NodeClient client = NodeClient.connect(EmbeddedXsched.builder().backend(host), "holder", socket)) {
            if (!client.awaitConnected(Duration.ofSeconds(30))) {
                throw new IllegalStateException("no daemon at " + socket);
            }
            XQueue high = client.xsched().createQueue("host:0", QueueOptions.defaults().withName("high"));
            XQueue low = client.xsched().createQueue("host:0", QueueOptions.defaults().withName("low"));
            client.xsched().hint(new Hint.Priority(HintTarget.queue(high.id()), 10));
            client.xsched().hint(new Hint.Priority(HintTarget.queue(low.id()), 0));
            java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
            high.submit(xsched.backend.host.HostKernel.of("hold", 1, (b, ctx) -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            AtomicBoolean running = new AtomicBoolean(true);
            Thread work = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    if (low.submitted() - low.finished() < 4) {
                        low.submit(HostTask.of("tick", () -> Stats.sleepNanos(50_000)));
                    } else {
                        Stats.sleepNanos(50_000);
                    }
                }
            });
            Thread watch = Thread.ofPlatform().start(() -> {
                boolean was = false;
                while (running.get()) {
                    boolean now = low.suspended();
                    if (now && !was) {
                        say("suspended " + System.nanoTime());
                    } else if (!now && was) {
                        say("resumed " + System.nanoTime());
                    }
                    was = now;
                    Thread.onSpinWait();
                }
            });
            waitForStdinEnd();
            running.set(false);
            never.countDown();
            work.join();
            watch.join();
        }
    }

    /** The foreground: {@code native} on a raw stream, or {@code daemon-lv1}/{@code daemon-lv2} through a NodeClient. */
    private static void foreground(String mode, Path socket, int jobs, boolean quick, Path stamps) throws Exception {
        try (CudaPlatform platform = CudaPlatform.open()) {
            CudaGpu gpu = platform.gpu(0);
            try (StockKernels kernels = StockKernels.load(gpu)) {
                ForegroundBench bench = new ForegroundBench(gpu, null, kernels);
                List<KernelLaunch> job = bench.job();
                double[] latency = new double[jobs];
                long[] starts = new long[jobs];
                if (mode.equals("native")) {
                    try (NativeStream fg = new NativeStream(gpu, 0)) {
                        fg.bind();
                        run(jobs, latency, starts, () -> {
                            for (KernelLaunch k : job) {
                                fg.launch(k);
                            }
                            fg.synchronize();
                        });
                    }
                } else {
                    boolean gate = mode.endsWith("lv2");
                    try (NodeClient client = NodeClient.connect(EmbeddedXsched.builder().backend(CudaBackends.over(platform, gate)), "fg", socket)) {
                        if (!client.awaitConnected(Duration.ofSeconds(30))) {
                            throw new IllegalStateException("no daemon at " + socket);
                        }
                        XQueue fg = client.xsched().createQueue(gpu.id(), QueueOptions.defaults().withName("fg")
                                .withLaunch(new LaunchConfig(ForegroundBench.JOB_COMMANDS, ForegroundBench.JOB_COMMANDS)));
                        client.xsched().hint(new Hint.Priority(HintTarget.queue(fg.id()), 10));
                        awaitRegistered(client, fg);
                        run(jobs, latency, starts, () -> {
                            long last = 0;
                            for (KernelLaunch k : bench.job()) {
                                last = fg.submit(k);
                            }
                            fg.await(last);
                        });
                        fg.close();
                    }
                }
                bench.close();
                Files.writeString(stamps, String.join("\n", Arrays.stream(starts).mapToObj(Long::toString).toList()));
                say(Stats.f("RESULT %.4f %.4f", Stats.median(latency), Stats.percentile(latency, 99)));
            }
        }
    }

    private interface Job {
        void run() throws Exception;
    }

    private static void run(int jobs, double[] latency, long[] starts, Job job) throws Exception {
        for (int j = -WARM_UP_JOBS; j < jobs; j++) {
            if (j == 0) {
                say("measuring");
            }
            long t0 = System.nanoTime();
            job.run();
            long t1 = System.nanoTime();
            if (j >= 0) {
                latency[j] = (t1 - t0) / 1e6;
                starts[j] = t0;
                Stats.sleepNanos(PERIOD_NANOS - (t1 - t0));
            } else {
                Stats.sleepNanos(PERIOD_NANOS / 8);
            }
        }
    }

    /** The background: keeps the GPU full until told {@code stop}; counts kernels between {@code mark} and {@code stop}. */
    private static void background(String mode, Path socket, boolean quick, Path flips) throws Exception {
        try (CudaPlatform platform = CudaPlatform.open()) {
            CudaGpu gpu = platform.gpu(0);
            try (StockKernels kernels = StockKernels.load(gpu)) {
                KernelLaunch spin = kernels.saturatingSpin(BG_KERNEL_NANOS);
                AtomicBoolean running = new AtomicBoolean(true);
                java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
                if (mode.equals("native")) {
                    try (NativeStream bg = new NativeStream(gpu, 0)) {
                        Thread t = Thread.ofPlatform().start(() -> {
                            bg.bind();
                            while (running.get()) {
                                for (int i = 0; i < 4; i++) {
                                    bg.launch(spin);
                                }
                                bg.recordAndWaitPrevious();
                                done.addAndGet(4);
                            }
                        });
                        control(done, running);
                        t.join();
                    }
                } else {
                    boolean gate = mode.endsWith("lv2");
                    try (NodeClient client = NodeClient.connect(EmbeddedXsched.builder().backend(CudaBackends.over(platform, gate)), "bg", socket)) {
                        if (!client.awaitConnected(Duration.ofSeconds(30))) {
                            throw new IllegalStateException("no daemon at " + socket);
                        }
                        XQueue bg = client.xsched().createQueue(gpu.id(), QueueOptions.defaults().withName("bg")
                                .withLaunch(new LaunchConfig(2, 1)).withLevel(gate ? PreemptLevel.DEACTIVATE : PreemptLevel.LAUNCH));
                        client.xsched().hint(new Hint.Priority(HintTarget.queue(bg.id()), 0));
                        awaitRegistered(client, bg);
                        List<Long> suspendedAt = new ArrayList<>();
                        Thread watcher = Thread.ofPlatform().start(() -> {
                            boolean was = false;
                            while (running.get()) {
                                boolean now = bg.suspended();
                                if (now && !was) {
                                    suspendedAt.add(System.nanoTime());
                                }
                                was = now;
                                Thread.onSpinWait();
                            }
                        });
                        Thread submitter = Thread.ofPlatform().start(() -> {
                            while (running.get()) {
                                if (bg.submitted() - bg.finished() < 16) {
                                    bg.submit(kernels.saturatingSpin(BG_KERNEL_NANOS));
                                } else {
                                    Stats.sleepNanos(20_000);
                                }
                            }
                        });
                        Thread counter = Thread.ofPlatform().daemon().start(() -> {
                            while (running.get()) {
                                done.set(bg.finished());
                                Stats.sleepNanos(1_000_000);
                            }
                        });
                        control(done, running);
                        submitter.join();
                        watcher.join();
                        counter.join();
                        bg.resume(true);
                        bg.awaitAll();
                        bg.close();
                        Files.writeString(flips, String.join("\n", suspendedAt.stream().map(Object::toString).toList()));
                    }
                }
            }
        }
    }

    private static void control(java.util.concurrent.atomic.AtomicLong done, AtomicBoolean running) throws IOException {
        say("running");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        long mark = 0;
        long markAt = System.nanoTime();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("mark")) {
                mark = done.get();
                markAt = System.nanoTime();
            } else if (line.equals("stop")) {
                double perSecond = (done.get() - mark) / ((System.nanoTime() - markAt) / 1e9);
                running.set(false);
                say(Stats.f("RESULT %.1f", perSecond));
                return;
            }
        }
        running.set(false);
    }

    /** A client with many host queues, each running a tiny task {@code hz} times a second (two edges each). */
    private static void edges(Path socket, int queues, int hz) throws Exception {
        try (HostBackend host = new HostBackend(1, PreemptLevel.INTERRUPT);
             NodeClient client = NodeClient.connect(EmbeddedXsched.builder().backend(host), "edges", socket)) {
            if (!client.awaitConnected(Duration.ofSeconds(30))) {
                throw new IllegalStateException("no daemon at " + socket);
            }
            List<XQueue> qs = new ArrayList<>();
            for (int i = 0; i < queues; i++) {
                qs.add(client.xsched().createQueue("host:0", QueueOptions.defaults().withName("e" + i)));
            }
            for (XQueue q : qs) {
                awaitRegistered(client, q);
            }
            AtomicBoolean running = new AtomicBoolean(true);
            java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
            Thread t = Thread.ofPlatform().start(() -> {
                long period = 1_000_000_000L / hz;
                long next = System.nanoTime();
                while (running.get()) {
                    for (XQueue q : qs) {
                        q.submit(HostTask.of("tick", () -> { }));
                    }
                    done.addAndGet(qs.size());
                    next += period;
                    Stats.sleepNanos(next - System.nanoTime());
                }
            });
            control(done, running);
            t.join();
        }
    }

    private static void awaitRegistered(NodeClient client, XQueue q) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (client.nodeId(q.id()) < 0) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("queue " + q.id() + " was not registered with the daemon");
            }
            Thread.sleep(1);
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void waitForStdinEnd() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // until the orchestrator closes our stdin
        }
    }

    // ---------------------------------------------------------------- orchestration

    private record Fg(double p50, double p99) {
    }

    private static void orchestrate(boolean quick) throws Exception {
        int jobs = quick ? 100 : 1000;
        String out = System.getenv("OUT");
        // the children's logs go where the device tool brings them back
        Path work = out != null ? Files.createDirectories(Path.of(out, "node-bench")) : Files.createTempDirectory("xsched-nodebench");
        Path socket = Files.createTempDirectory("xnb").resolve("xsched.sock");
        List<String> table = new ArrayList<>();
        table.add(Stats.f("xsched node daemon on the GPU: two processes, %s, %d fg jobs every %.0f ms after %d warm-up", LocalDate.now(),
                jobs, PERIOD_NANOS / 1e6, WARM_UP_JOBS));
        Fg alone = fgOnly("native", socket, jobs, quick, work);
        double bgAlone = bgOnly("native", socket, quick, work);
        table.add(Stats.f("%-34s fg p50 %.3f ms  p99 %.3f ms", "native fg alone", alone.p50, alone.p99));
        table.add(Stats.f("%-34s bg %.0f kernels/s", "native bg alone", bgAlone));
        row(table, "native time-slicing", pair("native", socket, jobs, quick, work, null), alone, bgAlone);
        boolean mps = startMps(work);
        if (mps) {
            try {
                row(table, "MPS", pair("native", socket, jobs, quick, work, null), alone, bgAlone);
            } finally {
                stopMps(work);
            }
        } else {
            table.add("MPS: could not start nvidia-cuda-mps-control -d (see log)");
        }
        for (String variant : List.of("lv1", "lv2", "lv2+poll")) {
            String level = variant.substring(0, 3);
            Child.jvmOptions.clear();
            if (variant.endsWith("poll")) {
                // every process's scheduler thread and socket readers poll 10 ms (longer than the 4 ms
                // period) for the next event before parking: what thread wake-ups cost, at what CPU
                Child.jvmOptions.addAll(POLL);
            }
            try (Child daemon = Child.start(work, "daemon", "daemon", socket.toString())) {
                daemon.expect("listening");
                Fg viaDaemonAlone = fgOnly("daemon-" + level, socket, jobs, quick, work);
                table.add(Stats.f("%-34s fg p50 %.3f ms  p99 %.3f ms  (p99 %.2fx native alone)", "daemon " + variant + " fg alone",
                        viaDaemonAlone.p50, viaDaemonAlone.p99, viaDaemonAlone.p99 / alone.p99));
                double[] edge = new double[0];
                Result r = pair("daemon-" + level, socket, jobs, quick, work, level);
                row(table, "daemon HPF " + variant, r, alone, bgAlone);
                edge = r.edgeMicros;
                if (edge.length > 0) {
                    table.add(Stats.f("%-34s p50 %.1f us  p99 %.1f us  (%d of %d fg jobs saw the bg suspended within their period)", "  edge -> bg suspended (" + variant + ")",
                            Stats.median(edge), Stats.percentile(edge, 99), edge.length, jobs));
                }
            }
        }
        Child.jvmOptions.clear();
        failover(table, work, socket);
        daemonCpu(table, work, socket, quick, "");
        Child.jvmOptions.addAll(POLL);
        daemonCpu(table, work, socket, quick, " +poll");
        Child.jvmOptions.clear();
        System.out.println();
        table.forEach(System.out::println);
        if (out != null) {
            Files.writeString(Path.of(out, "node-bench.txt"), String.join("\n", table) + "\n");
        }
    }

    /**
     * Fail-open and clean-up across processes (host XPU): the daemon is killed (SIGKILL) while it
     * keeps a client's queue suspended — how long until that queue runs; a client is killed — how
     * long until the daemon has dropped it. Five times each.
     */
    private static void failover(List<String> table, Path work, Path socket) throws Exception {
        double[] resumed = new double[5];
        double[] dropped = new double[5];
        try (Child holder = Child.start(work, "holder", "holder", socket.toString() + ".failover")) {
            for (int i = 0; i < resumed.length; i++) {
                Child daemon = Child.start(work, "daemon-failover", "daemon", socket.toString() + ".failover", "watch");
                daemon.expect("listening");
                holder.expect("suspended");
                long t0 = System.nanoTime();
                daemon.kill();
                resumed[i] = (Long.parseLong(holder.expect("resumed").substring(8).strip()) - t0) / 1e6;
            }
        }
        try (Child daemon = Child.start(work, "daemon-failover", "daemon", socket.toString() + ".failover", "watch")) {
            daemon.expect("listening");
            for (int i = 0; i < dropped.length; i++) {
                Child client = Child.start(work, "holder", "holder", socket.toString() + ".failover");
                client.expect("suspended");
                long t0 = System.nanoTime();
                client.kill();
                String left = daemon.expect("left " + client.pid());
                dropped[i] = (Long.parseLong(left.split("\\s+")[2]) - t0) / 1e6;
            }
        }
        table.add(Stats.f("%-34s median %.2f ms  max %.2f ms  (5 kills; SIGKILL to the queue running again)",
                "daemon killed -> client queue runs", Stats.median(resumed), Stats.max(resumed)));
        table.add(Stats.f("%-34s median %.2f ms  max %.2f ms  (5 kills; SIGKILL to its queues gone, polled every 0.1 ms)",
                "client killed -> daemon drops it", Stats.median(dropped), Stats.max(dropped)));
    }

    /** The daemon's CPU while 64 queues of one client run 100 tiny tasks a second each (host XPU). */
    private static void daemonCpu(List<String> table, Path work, Path socket, boolean quick, String variant) throws Exception {
        try (Child daemon = Child.start(work, "daemon", "daemon", socket.toString())) {
            daemon.expect("listening");
            try (Child edges = Child.start(work, "edges", "edges", socket.toString(), "64", "100")) {
                edges.expect("running");
                Thread.sleep(1000);
                edges.send("mark");
                long cpu0 = cpuNanos(daemon.pid());
                long t0 = System.nanoTime();
                Thread.sleep(quick ? 2000 : 10_000);
                long cpu1 = cpuNanos(daemon.pid());
                long t1 = System.nanoTime();
                edges.send("stop");
                String rate = edges.expect("RESULT");
                table.add(Stats.f("%-34s %.1f %% of one core at %s tasks/s (2 edges each), 64 queues", "daemon CPU, 64 queues" + variant,
                        100.0 * (cpu1 - cpu0) / (t1 - t0), rate.substring(7)));
            }
        }
    }

    private record Result(Fg fg, double bg, double[] edgeMicros) {
    }

    private static void row(List<String> table, String name, Result r, Fg alone, double bgAlone) {
        table.add(Stats.f("%-34s fg p50 %.3f ms (%.2fx)  p99 %.3f ms (%.2fx)  bg kept %.0f %%", name, r.fg.p50, r.fg.p50 / alone.p50, r.fg.p99,
                r.fg.p99 / alone.p99, 100 * r.bg / bgAlone));
    }

    private static Fg fgOnly(String mode, Path socket, int jobs, boolean quick, Path work) throws Exception {
        try (Child fg = Child.start(work, "fg-" + mode, "fg", mode, socket.toString(), Integer.toString(jobs), Boolean.toString(quick),
                work.resolve("fg-stamps").toString())) {
            return parseFg(fg.expect("RESULT"));
        }
    }

    private static double bgOnly(String mode, Path socket, boolean quick, Path work) throws Exception {
        try (Child bg = Child.start(work, "bg-" + mode, "bg", mode, socket.toString(), Boolean.toString(quick), work.resolve("bg-flips").toString())) {
            bg.expect("running");
            Thread.sleep(500);
            bg.send("mark");
            Thread.sleep(quick ? 1500 : 5000);
            bg.send("stop");
            return Double.parseDouble(bg.expect("RESULT").substring(7).strip());
        }
    }

    private static Result pair(String mode, Path socket, int jobs, boolean quick, Path work, String level) throws Exception {
        Path flips = work.resolve("bg-flips");
        Path stamps = work.resolve("fg-stamps");
        Files.deleteIfExists(flips);
        try (Child bg = Child.start(work, "bg-" + mode, "bg", mode, socket.toString(), Boolean.toString(quick), flips.toString())) {
            bg.expect("running");
            Thread.sleep(300);
            Fg fg;
            try (Child f = Child.start(work, "fg-" + mode, "fg", mode, socket.toString(), Integer.toString(jobs), Boolean.toString(quick),
                    stamps.toString())) {
                f.expect("measuring");
                bg.send("mark");
                fg = parseFg(f.expect("RESULT"));
            }
            bg.send("stop");
            double rate = Double.parseDouble(bg.expect("RESULT").substring(7).strip());
            bg.waitFor();
            double[] edge = level == null ? new double[0] : edgeLatency(stamps, flips);
            return new Result(fg, rate, edge);
        }
    }

    /** For each fg job start, the first bg suspension after it within the period, in microseconds. */
    private static double[] edgeLatency(Path stamps, Path flips) throws IOException {
        if (!Files.exists(flips)) {
            return new double[0];
        }
        long[] starts = Files.readAllLines(stamps).stream().filter(s -> !s.isBlank()).mapToLong(Long::parseLong).sorted().toArray();
        long[] suspended = Files.readAllLines(flips).stream().filter(s -> !s.isBlank()).mapToLong(Long::parseLong).sorted().toArray();
        List<Double> out = new ArrayList<>();
        int k = 0;
        for (long s : starts) {
            while (k < suspended.length && suspended[k] < s) {
                k++;
            }
            // only a suspension within the job's own period counts: a later one belongs to the next job
            if (k < suspended.length && suspended[k] - s < PERIOD_NANOS) {
                out.add((suspended[k] - s) / 1e3);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static Fg parseFg(String line) {
        String[] w = line.split("\\s+");
        return new Fg(Double.parseDouble(w[1]), Double.parseDouble(w[2]));
    }

    private static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 10_000_000L; // USER_HZ = 100
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean startMps(Path work) throws Exception {
        Path pipe = Files.createDirectories(work.resolve("mps-pipe"));
        Path log = Files.createDirectories(work.resolve("mps-log"));
        ProcessBuilder b = new ProcessBuilder("nvidia-cuda-mps-control", "-d").inheritIO();
        b.environment().put("CUDA_MPS_PIPE_DIRECTORY", pipe.toString());
        b.environment().put("CUDA_MPS_LOG_DIRECTORY", log.toString());
        try {
            Process p = b.start();
            boolean ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            if (ok) {
                Child.environment.put("CUDA_MPS_PIPE_DIRECTORY", pipe.toString());
                Child.environment.put("CUDA_MPS_LOG_DIRECTORY", log.toString());
            }
            return ok;
        } catch (IOException e) {
            System.err.println("MPS: " + e.getMessage());
            return false;
        }
    }

    private static void stopMps(Path work) throws Exception {
        ProcessBuilder b = new ProcessBuilder("nvidia-cuda-mps-control").redirectErrorStream(true);
        b.environment().put("CUDA_MPS_PIPE_DIRECTORY", work.resolve("mps-pipe").toString());
        b.environment().put("CUDA_MPS_LOG_DIRECTORY", work.resolve("mps-log").toString());
        Process p = b.start();
        try (PrintWriter w = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8)) {
            w.println("quit");
        }
        p.waitFor(30, TimeUnit.SECONDS);
        Child.environment.remove("CUDA_MPS_PIPE_DIRECTORY");
        Child.environment.remove("CUDA_MPS_LOG_DIRECTORY");
        Thread.sleep(500);
    }

    /** Another JVM running this class in a role. */
    private static final class Child implements AutoCloseable {
        static final java.util.Map<String, String> environment = new java.util.concurrent.ConcurrentHashMap<>();
        static final List<String> jvmOptions = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Process process;
        private final PrintWriter in;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private Child(Process process) {
            this.process = process;
            this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // ended
                }
                lines.add("<eof>");
            });
        }

        static Child start(Path work, String label, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp", System.getProperty("java.class.path")));
            command.addAll(jvmOptions);
            command.add(NodeBench.class.getName());
            command.addAll(List.of(args));
            ProcessBuilder b = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(work.resolve(label + ".log").toFile()));
            b.environment().putAll(environment);
            return new Child(b.start());
        }

        long pid() {
            return process.pid();
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
        }

        void send(String line) {
            in.println(line);
        }

        String expect(String prefix) throws InterruptedException {
            while (true) {
                String line = lines.poll(300, TimeUnit.SECONDS);
                if (line == null || line.equals("<eof>")) {
                    throw new IllegalStateException("a child ended or hung waiting for '" + prefix + "' (see its log)");
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        void waitFor() throws InterruptedException {
            in.close();
            process.waitFor(60, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            in.close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
