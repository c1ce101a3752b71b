package xsched.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostTask;
import xsched.core.embed.EmbeddedXsched;
import xsched.policy.hpf.HighestPriorityFirst;

/**
 * What an idle XQueue costs on the host XPU (a plain {@code main}, not JMH): heap, threads, native
 * thread stacks, resident memory, and the CPU that idle queues burn.
 *
 * <p>An {@link EmbeddedXsched} with one {@link HostBackend} device and HPF opens {@code N} queues
 * (first argument, default 1000), runs one empty command through each and awaits it, then lets
 * them go idle for longer than the launch worker's 100 ms watch window after a launch, so every
 * worker is in deep idle (parked without a timeout). Measured against the runtime with no queue:
 * heap used after several rounds of {@code System.gc()}, live threads, {@code VmRSS} from
 * {@code /proc/self/status}, and, when the JVM runs with {@code -XX:NativeMemoryTracking=summary},
 * NMT's thread stacks (reserved and committed). Then the process CPU time over {@code S} seconds
 * (second argument, default 5) with every queue in deep idle, and over {@code S} seconds from the
 * start of a round that runs one more command through each queue (awaited), so each worker
 * watches for 100 ms in 1 ms periods; voluntary context switches of the process are counted too.
 *
 * <pre>
 * java -XX:NativeMemoryTracking=summary -cp xsched.bench/target/benchmarks.jar xsched.bench.IdleQueueFootprint [N] [seconds]
 * </pre>
 */
public final class IdleQueueFootprint {
    private static final Runnable NOTHING = () -> { };
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean OS =
            ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);

    private IdleQueueFootprint() {
    }

    /** One reading of the process's memory and threads. */
    private record Snapshot(long heapUsed, long liveBytes, int threads, long rssKiB, long stackReservedKiB,
                            long stackCommittedKiB) {
        static Snapshot take() throws InterruptedException {
            settleHeap();
            long live = liveHeapBytes();
            long[] stack = nmtStack();
            return new Snapshot(MEMORY.getHeapMemoryUsage().getUsed(), live, Thread.getAllStackTraces().size(),
                    procStatus("VmRSS"), stack[0], stack[1]);
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;

        System.out.printf("# IdleQueueFootprint: %d queues, CPU windows of %d s; %s %s; %d CPUs; load average %s%n",
                n, seconds, System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String xss = hotspot.getVMOption("ThreadStackSize").getValue();
        long xssKiB = Long.parseLong(xss) == 0 ? 1024 : Long.parseLong(xss);
        boolean nmt = !"off".equals(hotspot.getVMOption("NativeMemoryTracking").getValue());

        HostBackend host = new HostBackend(1, PreemptLevel.INTERRUPT);
        List<XQueue> queues = new ArrayList<>(n);
        try (EmbeddedXsched runtime = EmbeddedXsched.builder().policy("hpf", new HighestPriorityFirst())
                .backend(host).build()) {
            String device = host.devices().getFirst().id();
            // warm up the code paths (class loading, JIT of the submit path) with one throw-away queue
            XQueue warm = runtime.createQueue(device, QueueOptions.defaults().withName("warm-up"));
            for (int i = 0; i < 2000; i++) {
                warm.await(warm.submit(HostTask.of("noop", NOTHING)));
            }
            warm.close();
            Thread.sleep(300);

            Snapshot before = Snapshot.take();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                queues.add(runtime.createQueue(device, QueueOptions.defaults().withName("idle-" + i)));
            }
            long opened = System.nanoTime() - t0;
            roundOfOneCommand(queues);
            Thread.sleep(500); // > 100 ms: every worker past its watch window, parked for good
            Snapshot after = Snapshot.take();

            // CPU, all queues in deep idle
            Thread.sleep(200);
            long[] idle = cpuOver(seconds, null);
            // CPU from the start of a round of one command per queue: each worker then watches 100 ms
            long[] watch = cpuOver(seconds, queues);

            double perQueueHeap = (double) (after.heapUsed - before.heapUsed) / n;
            double perQueueThreads = (double) (after.threads - before.threads) / n;
            double perQueueRss = (double) (after.rssKiB - before.rssKiB) * 1024 / n;
            System.out.println();
            System.out.printf("opening %d queues took %.1f ms (%.1f µs per queue)%n", n, opened / 1e6, opened / 1e3 / n);
            System.out.println();
            System.out.println("| measure | runtime, no queue | " + n + " idle queues | per idle queue |");
            System.out.println("|---|---:|---:|---:|");
            System.out.printf("| heap used after GC | %s | %s | %s |%n", bytes(before.heapUsed), bytes(after.heapUsed),
                    bytes((long) perQueueHeap));
            System.out.printf("| live objects (GC.class_histogram total) | %s | %s | %s |%n", bytes(before.liveBytes),
                    bytes(after.liveBytes), bytes((after.liveBytes - before.liveBytes) / n));
            System.out.printf("| live threads | %d | %d | %.2f |%n", before.threads, after.threads, perQueueThreads);
            System.out.printf("| thread stack reserved (-Xss%s) | | | %d KiB per thread |%n",
                    "0".equals(xss) ? " default" : "=" + xss + "k", xssKiB);
            if (nmt) {
                System.out.printf("| NMT thread stacks, reserved | %s | %s | %s |%n", kib(before.stackReservedKiB),
                        kib(after.stackReservedKiB), String.format(Locale.ROOT, "%.1f KiB", (double) (after.stackReservedKiB - before.stackReservedKiB) / n));
                System.out.printf("| NMT thread stacks, committed | %s | %s | %s |%n", kib(before.stackCommittedKiB),
                        kib(after.stackCommittedKiB), String.format(Locale.ROOT, "%.1f KiB", (double) (after.stackCommittedKiB - before.stackCommittedKiB) / n));
            }
            System.out.printf("| VmRSS | %s | %s | %s |%n", kib(before.rssKiB), kib(after.rssKiB), bytes((long) perQueueRss));
            cpuRows("all queues in deep idle", seconds, n, idle);
            cpuRows(String.format(Locale.ROOT, "from a round of one command per queue (the round: %.0f ms)", watch[4] / 1e6),
                    seconds, n, watch);
            System.out.println();
            System.out.printf("launch worker threads alive: %d (named xsched-launch-*)%n", Thread.getAllStackTraces().keySet()
                    .stream().filter(t -> t.getName().startsWith("xsched-launch-")).count());
            System.out.printf("NMT: %s%n", nmt ? "on" : "off (run with -XX:NativeMemoryTracking=summary for committed stacks)");

            long c0 = System.nanoTime();
            for (XQueue q : queues) {
                q.close();
            }
            System.out.printf("closing %d queues took %.1f ms%n", n, (System.nanoTime() - c0) / 1e6);
        } finally {
            host.close();
        }
    }

    /** Submits one empty command to every queue, then awaits every one of them. */
    private static void roundOfOneCommand(List<XQueue> queues) throws InterruptedException {
        long[] seqs = new long[queues.size()];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = queues.get(i).submit(HostTask.of("noop", NOTHING));
        }
        for (int i = 0; i < seqs.length; i++) {
            queues.get(i).await(seqs[i]);
        }
    }

    private static void cpuRows(String what, int seconds, int n, long[] m) {
        System.out.printf("| process CPU over %d s, %s | | %.1f ms (%.2f %% of one core) | |%n",
                seconds, what, m[0] / 1e6, 100.0 * m[0] / (seconds * 1e9));
        System.out.printf("| launch workers' CPU over those %d s | | %.2f ms | %.2f µs |%n", seconds, m[1] / 1e6, m[1] / 1e3 / n);
        System.out.printf("| launch workers' voluntary context switches over those %d s | | %d | %.2f |%n",
                seconds, m[2], (double) m[2] / n);
        System.out.printf("| voluntary context switches of the whole process over those %d s | | %d | |%n", seconds, m[3]);
    }

    /**
     * @return over {@code seconds}: process CPU ns, the launch workers' CPU ns, their voluntary
     *     context switches, the process's voluntary context switches, and the ns that the round of
     *     commands took (0 without queues); with {@code queues}, the window starts with a round of
     *     one command per queue
     */
    private static long[] cpuOver(int seconds, List<XQueue> queues) throws InterruptedException {
        List<Thread> workers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("xsched-launch-")).toList();
        long cpu0 = OS.getProcessCpuTime();
        long w0 = threadCpu(workers);
        long[] cs0 = voluntarySwitches();
        long start = System.nanoTime();
        long round = 0;
        if (queues != null) {
            roundOfOneCommand(queues);
            round = System.nanoTime() - start;
        }
        long until = start + TimeUnit.SECONDS.toNanos(seconds);
        for (long left; (left = until - System.nanoTime()) > 0; ) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
        long cpu = OS.getProcessCpuTime() - cpu0;
        long w = threadCpu(workers) - w0;
        long[] cs = voluntarySwitches();
        return new long[] {cpu, w, cs[0] - cs0[0], cs[1] - cs0[1], round};
    }

    private static long threadCpu(List<Thread> threads) {
        long sum = 0;
        for (Thread t : threads) {
            long ns = THREADS.getThreadCpuTime(t.threadId());
            sum += Math.max(0, ns);
        }
        return sum;
    }

    private static void settleHeap() throws InterruptedException {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(50);
            long used = MEMORY.getHeapMemoryUsage().getUsed();
            if (i >= 3 && Math.abs(last - used) < 1024) {
                break;
            }
            last = used;
        }
    }

    /** @return a field of /proc/self/status in KiB, or -1 */
    private static long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    /**
     * @return voluntary context switches of the launch workers (native thread name, at most 15
     *     characters, starting with {@code xsched-launch}) and of every thread of the process
     */
    private static long[] voluntarySwitches() {
        long workers = 0;
        long all = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    boolean worker = Files.readString(task.resolve("comm")).startsWith("xsched-launch");
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            long n = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                            all += n;
                            workers += worker ? n : 0;
                        }
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return new long[] {-1, -1};
        }
        return new long[] {workers, all};
    }

    /** @return the bytes of live objects as GC.class_histogram totals them (after a full GC), or -1 */
    private static long liveHeapBytes() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            String out = (String) server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
            Matcher m = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)").matcher(out);
            if (m.find()) {
                return Long.parseLong(m.group(2));
            }
        } catch (Exception e) {
            // not HotSpot
        }
        return -1;
    }

    private static final Pattern NMT_STACK = Pattern.compile(
            "\\(threads? #(\\d+)\\).*?\\(stack: reserved=(\\d+)KB, committed=(\\d+)KB", Pattern.DOTALL);

    /** @return NMT's thread stacks, reserved and committed KiB, and its thread count; -1s without NMT */
    private static long[] nmtStack() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            String out = (String) server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "vmNativeMemory", new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            Matcher m = NMT_STACK.matcher(out);
            if (m.find()) {
                return new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(1))};
            }
        } catch (Exception e) {
            // NMT off or not HotSpot
        }
        return new long[] {-1, -1, -1};
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return String.valueOf(OS.getSystemLoadAverage());
        }
    }

    private static String bytes(long b) {
        return Math.abs(b) >= 10L << 20 ? String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0)
                : Math.abs(b) >= 10L << 10 ? String.format(Locale.ROOT, "%.1f KiB", b / 1024.0) : b + " B";
    }

    private static String kib(long k) {
        return k >= 10L << 10 ? String.format(Locale.ROOT, "%.1f MiB", k / 1024.0) : k + " KiB";
    }
}
