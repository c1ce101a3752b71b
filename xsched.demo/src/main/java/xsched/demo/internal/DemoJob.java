package xsched.demo.internal;

import java.util.List;
import java.util.Objects;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import xsched.api.XpuDevice;
import xsched.api.Xsched;
import xsched.spi.hal.Backend;

/**
 * The main job, run when the framework property {@code xsched.main=demo} is set: the demo on the
 * best device present, a final verdict line, then the JVM exits with {@link #GOAL_MET} (0) when
 * the run met the goal, {@link #GOAL_MISSED} (3) when it ran but missed it, and {@link #FAILED}
 * (1) when it could not run.
 */
@Component(immediate = true)
public final class DemoJob {
    /** Exit status: the demo ran and met the goal. */
    static final int GOAL_MET = 0;
    /** Exit status: the demo could not run (no device, bad arguments, an error). */
    static final int FAILED = 1;
    /** Exit status: the demo ran and missed the goal. */
    static final int GOAL_MISSED = 3;

    private final Xsched xsched;

    @Activate
    public DemoJob(@Reference Xsched xsched, BundleContext context) {
        this.xsched = xsched;
        if ("demo".equals(context.getProperty("xsched.main"))) {
            Thread.ofPlatform().name("xsched-demo").start(() -> runAndExit(context));
        }
    }

    /**
     * Jobs each mode runs, at the period, before the measured ones. The xsched mode runs far more
     * code than the others (queue, scheduler, policy, preemption), and on a 2-core machine the JIT
     * compiling it competes with the jobs for seconds (about 450 compilations in the first 13 s of
     * that mode, measured with perf on 2026-12-01); 20 warm-up jobs measured part of that start-up.
     * 100 (4 s on the host) measure the steady state, the same for every mode.
     */
    private static final int WARM_UP_JOBS = 100;

    private void runAndExit(BundleContext context) {
        int status = FAILED;
        try {
            XpuDevice device = bestDevice();
            Backend backend = backendOf(context, device);
            Workload work = workloadFor(context, device);
            int jobs = jobs(Objects.requireNonNullElse(context.getProperty("xsched.demo.jobs"), "300"));
            System.out.println("xsched demo: foreground jobs every " + work.periodNanos() / 1_000_000 + " ms against a saturating background, "
                    + jobs + " jobs per mode; goal: foreground p99 with xsched <= " + DemoReport.XSCHED_GOAL + "x standalone while without it >= "
                    + DemoReport.NATIVE_FLOOR + "x (exit status " + GOAL_MET + " when met, " + GOAL_MISSED + " when not)");
            DemoRunner runner = new DemoRunner(xsched, backend, device, work, WARM_UP_JOBS, jobs);
            DemoRunner.Result alone = runner.standalone();
            DemoRunner.Result nativeBoth = runner.nativeBoth();
            DemoRunner.Result scheduled = runner.withXsched();
            System.out.println();
            System.out.print(DemoReport.table(device.id() + " (" + device.name() + ", up to Lv" + device.maxLevel().number() + ")",
                    work.describe(), alone, List.of(alone, nativeBoth, scheduled)));
            DemoReport.Verdict verdict = DemoReport.verdict(alone, nativeBoth, scheduled);
            status = verdict.met() ? GOAL_MET : GOAL_MISSED;
            System.out.println(verdict.line() + " (exit status " + status + ")");
        } catch (IllegalArgumentException e) {
            System.err.println("xsched demo: " + e.getMessage());
        } catch (Exception | Error e) {
            System.err.println("xsched demo failed: " + e);
            e.printStackTrace();
        } finally {
            System.out.flush();
            System.exit(status);
        }
    }

    private static int jobs(String text) {
        try {
            int jobs = Integer.parseInt(text.strip());
            if (jobs >= 10 && jobs <= 100_000) {
                return jobs;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("xsched.demo.jobs must be a whole number in 10…100000, not '" + text + "'");
    }

    private XpuDevice bestDevice() throws InterruptedException {
        List<XpuDevice> seen = List.of();
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<XpuDevice> now = xsched.devices();
            if (!now.equals(seen)) {
                seen = now;
                stableSince = System.nanoTime();
            } else if (!now.isEmpty() && System.nanoTime() - stableSince > 500_000_000L) {
                return now.getFirst();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no device appeared within 30 s; is a backend bundle installed?");
    }

    private static Backend backendOf(BundleContext context, XpuDevice device) throws InvalidSyntaxException {
        for (ServiceReference<Backend> ref : context.getServiceReferences(Backend.class, "(" + Backend.PLATFORM + "=" + device.platform() + ")")) {
            Backend b = context.getService(ref);
            if (b != null && b.devices().contains(device)) {
                return b;
            }
        }
        throw new IllegalStateException("no backend service for " + device.id());
    }

    private static Workload workloadFor(BundleContext context, XpuDevice device) throws InvalidSyntaxException {
        return switch (device.platform()) {
            case "host" -> new HostWorkload();
            case "cuda" -> cudaWorkload(context, device);
            default -> throw new IllegalStateException("the demo has no workload for platform '" + device.platform() + "'");
        };
    }

    /** In its own method so that the optional CUDA API is loaded only for a CUDA device. */
    private static Workload cudaWorkload(BundleContext context, XpuDevice device) throws InvalidSyntaxException {
        for (ServiceReference<xsched.backend.cuda.CudaGpu> ref : context.getServiceReferences(xsched.backend.cuda.CudaGpu.class, null)) {
            xsched.backend.cuda.CudaGpu gpu = context.getService(ref);
            if (gpu != null && gpu.id().equals(device.id())) {
                return new CudaWorkload(gpu);
            }
        }
        throw new IllegalStateException("no CudaGpu service for " + device.id());
    }
}
