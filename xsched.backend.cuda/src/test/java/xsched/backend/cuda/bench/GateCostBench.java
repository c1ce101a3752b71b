package xsched.backend.cuda.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.DeviceBuffer;
import xsched.backend.cuda.KernelLaunch;
import xsched.backend.cuda.NativeStream;
import xsched.backend.cuda.QueueAccess;
import xsched.backend.cuda.StockKernels;
import xsched.backend.cuda.internal.ffm.CudaDriver;
import xsched.backend.cuda.internal.ffm.CudaStreamMemOps;

/**
 * What each driver call a gated queue adds to a batch costs a short job, with no queue around it:
 * the same job on one raw stream, waited for as xsched waits (an event recorded behind it, polled),
 * plain and with the calls of a gated batch added one by one — the gate ({@code
 * cuStreamWaitValue32} on an open word in device memory), the batch's started event, two event
 * queries (the pruning of old batches). The variants take turns job by job, so drift of the
 * machine touches them alike. Issue = the host calls up to the last launch; total = until the
 * event behind the job is seen complete.
 */
final class GateCostBench {
    /** One variant's figures, in milliseconds. */
    record Result(String variant, double issueP50, double issueP99, double totalP50, double totalP99) {
    }

    private record Variant(String name, boolean gate, boolean started, boolean prune) {
    }

    private static final List<Variant> VARIANTS = List.of(new Variant("plain (launches, event, poll)", false, false, false),
            new Variant("+ gate", true, false, false), new Variant("+ started event", false, true, false),
            new Variant("+ gate + started event", true, true, false), new Variant("+ gate + started + 2 queries", true, true, true));

    private final CudaGpu gpu;

    GateCostBench(CudaGpu gpu) {
        this.gpu = gpu;
    }

    /**
     * @param job      builds one job's launches
     * @param warmUp   rounds (one job per variant) back to back first
     * @param rounds   measured rounds
     * @param period   time from one job's start to the next's
     * @return one result per variant
     */
    List<Result> run(Supplier<List<KernelLaunch>> job, int warmUp, int rounds, long period) {
        int n = VARIANTS.size();
        double[][] issue = new double[n][rounds];
        double[][] total = new double[n][rounds];
        int flags = QueueAccess.eventFlags(gpu);
        try (NativeStream stream = new NativeStream(gpu, 0); DeviceBuffer word = gpu.allocate(4)) {
            word.upload(new int[] {1});
            stream.bind();
            long started = CudaDriver.eventCreate(flags);
            long end = CudaDriver.eventCreate(flags);
            long[] old = {CudaDriver.eventCreate(flags), CudaDriver.eventCreate(flags)};
            try {
                for (long e : old) {
                    CudaDriver.eventRecord(e, stream.handle());
                }
                for (int r = -warmUp; r < rounds; r++) {
                    for (int v = 0; v < n; v++) {
                        Variant variant = VARIANTS.get(v);
                        List<KernelLaunch> launches = job.get();
                        long t0 = System.nanoTime();
                        if (variant.prune()) {
                            for (long e : old) {
                                CudaDriver.eventQuery(e);
                            }
                        }
                        if (variant.gate()) {
                            CudaStreamMemOps.waitAtLeast(stream.handle(), word.address(), 1);
                        }
                        if (variant.started()) {
                            CudaDriver.eventRecord(started, stream.handle());
                        }
                        for (KernelLaunch k : launches) {
                            stream.launch(k);
                        }
                        long t1 = System.nanoTime();
                        CudaDriver.eventRecord(end, stream.handle());
                        while (!CudaDriver.eventQuery(end)) {
                            Thread.onSpinWait();
                        }
                        long t2 = System.nanoTime();
                        if (r >= 0) {
                            issue[v][r] = (t1 - t0) / 1e6;
                            total[v][r] = (t2 - t0) / 1e6;
                            Stats.sleepNanos(period - (t2 - t0));
                        }
                    }
                }
            } finally {
                CudaDriver.eventDestroy(started);
                CudaDriver.eventDestroy(end);
                for (long e : old) {
                    CudaDriver.eventDestroy(e);
                }
            }
        }
        List<Result> results = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            results.add(new Result(VARIANTS.get(v).name(), Stats.median(issue[v]), Stats.percentile(issue[v], 99), Stats.median(total[v]),
                    Stats.percentile(total[v], 99)));
        }
        return results;
    }

    /** Adds a table of the MLP job and of a small one-kernel job. */
    static void addTables(CudaGpu gpu, ForegroundBench mlp, StockKernels kernels, boolean quick, List<String> table) {
        GateCostBench bench = new GateCostBench(gpu);
        int warm = quick ? 100 : 1000;
        int rounds = quick ? 50 : 500;
        record Job(String name, Supplier<List<KernelLaunch>> launches, long period) {
        }
        for (Job j : List.of(new Job("MLP job (6 kernels)", mlp::job, 4_000_000),
                new Job("one 20 us spin kernel, 4 blocks x 256", () -> List.of(kernels.spin(20_000, 4, 256)), 1_000_000))) {
            CudaBenchmarks.progress("gate cost: " + j.name());
            List<Result> rows = bench.run(j.launches(), warm, rounds, j.period());
            table.add("");
            table.add(Stats.f("Gate cost per batch, no queue: %s on a raw stream, waited for by an event polled; %d rounds after %d, "
                    + "variants in turn", j.name(), rounds, warm));
            table.add(Stats.f("%-34s %10s %10s %10s %10s %12s", "variant", "issue p50", "issue p99", "total p50", "total p99",
                    "total p50 +"));
            double base = rows.getFirst().totalP50();
            for (Result r : rows) {
                table.add(Stats.f("%-34s %10.4f %10.4f %10.4f %10.4f %9.1f us", r.variant(), r.issueP50(), r.issueP99(), r.totalP50(),
                        r.totalP99(), (r.totalP50() - base) * 1000));
            }
        }
    }
}
