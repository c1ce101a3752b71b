package xsched.core.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.dto.QueueDTO;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostCommand;
import xsched.backend.host.HostKernel;
import xsched.backend.host.HostTask;
import xsched.core.faults.FaultyBackend.Kind;
import xsched.core.faults.FaultyBackend.Site;
import xsched.spi.hal.HwCommand;

/**
 * One storm of {@link QueueStormTest}: two or three queues in the session's runtime, then {@code
 * rounds} interleavings on them. In each round one submitter per queue races one controller; then
 * every queue is resumed, every command of the round is awaited and checked. A queue closed or
 * failed in a round is replaced by a new one for the next. Everything random comes from the seed.
 * Violations are collected and thrown together at the end, with the storm's operation log.
 */
final class Storm {
    private static final long CAP_MILLIS = 20_000;

    /** Counts over all storms of one level. */
    static final class Totals {
        final AtomicLong interleavings = new AtomicLong();
        final AtomicLong submitted = new AtomicLong();
        final AtomicLong completed = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong faultsFired = new AtomicLong();

        @Override
        public String toString() {
            return interleavings + " interleavings; commands: " + submitted + " submitted, " + completed + " completed, " + failed
                    + " failed, " + dropped + " dropped; rounds with a fault fired: " + faultsFired;
        }
    }

    /** A submitted command and its per-block run counts; {@code runs} is null for a command no host queue accepts. */
    private record Cmd(long seq, String what, AtomicIntegerArray runs) {
        boolean foreign() {
            return runs == null;
        }
    }

    /** One queue, its submitter and what happened to it. */
    private final class Lane {
        final String name;
        final XQueue q;
        private final long faultsBefore;
        final List<Cmd> cmds = new ArrayList<>();
        long lastSeq;
        volatile boolean dropAsked;
        volatile boolean closeCalled;
        volatile boolean workerInterrupted;
        private Thread submitter;

        Lane(String name, XQueue q) {
            this.name = name;
            this.q = q;
            this.faultsBefore = faultEvents();
        }

        synchronized void submitting(Thread t) {
            submitter = t;
        }

        synchronized void interruptSubmitter() {
            if (submitter != null) {
                submitter.interrupt();
            }
        }

        /** Whether this queue may have failed: a fault fired since it was made, or its worker was interrupted. */
        boolean mayHaveFailed() {
            return workerInterrupted || faultEvents() > faultsBefore;
        }

        /** Whether its commands may have failed: also when deactivated work met a backend that cannot relaunch it. */
        boolean commandsMayHaveFailed() {
            return mayHaveFailed() || swappedToLevel1;
        }

        @Override
        public String toString() {
            return name + "(id " + q.id() + ")";
        }
    }

    private final PreemptLevel level;
    private final boolean faults;
    private final int rounds;
    private final ExecutorService actors;
    private final StormSession session;
    private final Totals totals;
    private final Random random;
    private final Set<FaultyBackend> backends = ConcurrentHashMap.newKeySet();
    private final List<FaultyCommand> faultyCommands = new CopyOnWriteArrayList<>();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final List<Lane> lanes = new ArrayList<>();
    private final List<Lane> retiredLanes = new ArrayList<>();
    private int lanesMade;
    private int round;
    /** Set when the backend was swapped for one of level 1, which cannot relaunch deactivated work. */
    private volatile boolean swappedToLevel1;
    /** Set when a backend swap began: queues may have been detached, without a backend to check commands. */
    private volatile boolean swapped;

    Storm(PreemptLevel level, long seed, boolean faults, int rounds, ExecutorService actors, StormSession session, Totals totals) {
        this.level = level;
        this.faults = faults;
        this.rounds = rounds;
        this.actors = actors;
        this.session = session;
        this.totals = totals;
        this.random = new Random(seed);
    }

    void run() throws Exception {
        int launchThreads = FaultFixture.threads("xsched-launch-").size();
        try {
            int queues = 2 + random.nextInt(2);
            for (round = 0; round < rounds && violations.isEmpty(); round++) {
                replaceDeadLanes(queues);
                round();
            }
        } finally {
            retiredLanes.addAll(lanes);
            closeQueues();
            backends.forEach(FaultyBackend::disarm);
            session.closeRetired();
        }
        afterClose(launchThreads);
        if (!violations.isEmpty()) {
            throw new AssertionError(violations.size() + " violation(s):\n  " + String.join("\n  ", violations) + "\n" + describe());
        }
    }

    String describe() {
        List<String> ops;
        synchronized (log) {
            ops = List.copyOf(log);
        }
        return "level " + level.number() + "; operations: " + ops + "; backends: " + backends;
    }

    private void violation(String what) {
        violations.add("round " + round + ": " + what);
    }

    /** @return faults fired so far in the backends and commands of this storm */
    private long faultEvents() {
        return backends.stream().mapToLong(b -> b.firedAll().size()).sum()
                + faultyCommands.stream().filter(FaultyCommand::thrownYet).count();
    }

    private boolean isInjected(Throwable t) {
        return backends.stream().flatMap(b -> b.firedAll().stream()).anyMatch(f -> FaultFixture.names(t, f))
                || faultyCommands.stream().anyMatch(c -> c.thrownYet() && FaultFixture.names(t, c.thrown()));
    }

    /** Makes {@code b} one of this storm's backends and, by chance, arms a fault in it. */
    private FaultyBackend use(FaultyBackend b, Random r) {
        backends.add(b);
        if (faults && r.nextInt(5) < 2) {
            Site site = Site.values()[r.nextInt(Site.values().length)];
            int nth = 1 + r.nextInt(12);
            Kind kind = Kind.values()[r.nextInt(2)];
            b.arm(site, nth, kind);
            log.add("armed " + kind + " at " + site + " #" + nth);
        }
        return b;
    }

    /** Keeps {@code queues} queues: closed or failed ones make way for new ones at the level under test. */
    private void replaceDeadLanes(int queues) {
        if (session.current().devices().getFirst().maxLevel().number() < level.number()) {
            log.add("swap backend back to Lv3");
            session.swap(new FaultyBackend(new HostBackend(1, PreemptLevel.INTERRUPT)));
        }
        use(session.current(), random);
        for (int i = 0; i < lanes.size(); i++) {
            Lane lane = lanes.get(i);
            QueueDTO d = dto(lane);
            if (lane.closeCalled || d == null || "FAILED".equals(d.status)) {
                retiredLanes.add(lane);
                lane.q.close();
                lanes.set(i, newLane());
            }
        }
        while (lanes.size() < queues) {
            lanes.add(newLane());
        }
        for (Lane lane : lanes) {
            lane.dropAsked = false;
            synchronized (lane.cmds) {
                lane.cmds.clear();
            }
        }
    }

    private Lane newLane() {
        int threshold = 1 + random.nextInt(6);
        String name = "q" + lanesMade++;
        QueueOptions options = QueueOptions.defaults().withName("storm-" + name).withLevel(level)
                .withLaunch(new LaunchConfig(threshold, 1 + random.nextInt(threshold)));
        if (random.nextBoolean()) {
            options = options.withMaxPending(1 + random.nextInt(4));
        }
        Lane lane = new Lane(name, session.runtime.createQueue("host:0", options));
        session.runtime.hint(new Hint.Priority(HintTarget.queue(lane.q.id()), random.nextInt(3)));
        return lane;
    }

    private void round() throws Exception {
        log.add("round " + round);
        long faultsBefore = faultEvents();
        List<Future<?>> submitters = new ArrayList<>();
        for (Lane lane : lanes) {
            long laneSeed = random.nextLong();
            int commands = 1 + random.nextInt(5);
            submitters.add(actors.submit(() -> submitter(lane, new Random(laneSeed), commands)));
        }
        long controlSeed = random.nextLong();
        int ops = random.nextInt(8);
        Future<?> controller = actors.submit(() -> controller(new Random(controlSeed), ops));
        get(controller, "the controller");
        // Only the controller suspends queues on its own; the policy always lets the highest READY
        // queue of the device run. So once every queue is resumed, submitters waiting for room get it.
        resumeAll();
        for (Future<?> s : submitters) {
            get(s, "a submitter");
        }
        check();
        totals.interleavings.incrementAndGet();
        if (faultEvents() > faultsBefore) {
            totals.faultsFired.incrementAndGet();
        }
    }

    private static void get(Future<?> f, String what) throws Exception {
        try {
            f.get(CAP_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not finish within " + CAP_MILLIS + " ms", e);
        }
    }

    private void resumeAll() {
        for (Lane lane : lanes) {
            if (!lane.closeCalled) {
                try {
                    lane.q.resume();
                } catch (RuntimeException | Error e) {
                    tolerate(lane, e, "resume at the end of the round");
                }
            }
        }
    }

    /** An exception from an operation on a queue: fine if the queue was closed or may have failed. */
    private void tolerate(Lane lane, Throwable t, String op) {
        boolean expected = t instanceof IllegalStateException && (lane.closeCalled || lane.mayHaveFailed()) || isInjected(t);
        if (!expected) {
            violation(op + " on " + lane + " threw " + t + " (closed: " + lane.closeCalled + ", may have failed: "
                    + lane.mayHaveFailed() + ")");
        }
    }

    /** @return a new command that no host queue accepts (a command object is submitted once) */
    private static HwCommand foreign() {
        return new HwCommand() {
            @Override
            public String describe() {
                return "a command no host queue accepts";
            }
        };
    }

    /** A host task or kernel (1–3 blocks, each spinning up to 3 µs) counting its block runs; now and then one that throws. */
    private HwCommand command(Lane lane, Random r, AtomicIntegerArray runs, String[] what) {
        long spin = r.nextInt(3_000);
        int kind = r.nextInt(20);
        HostCommand command;
        if (runs.length() == 1 && kind < 7) {
            command = HostTask.of("task", () -> {
                spin(spin);
                runs.incrementAndGet(0);
            });
            what[0] = "task";
        } else if (kind < 13) {
            command = HostKernel.of("kernel", runs.length(), (b, ctx) -> {
                spin(spin);
                runs.incrementAndGet(b);
            });
            what[0] = "kernel/" + runs.length();
        } else {
            command = HostKernel.idempotent("ikernel", runs.length(), (b, ctx) -> {
                long until = System.nanoTime() + spin;
                while (System.nanoTime() < until) {
                    if (ctx.preempted()) {
                        return;
                    }
                }
                runs.incrementAndGet(b);
            });
            what[0] = "idempotent kernel/" + runs.length();
        }
        if (faults && r.nextInt(25) == 0) {
            FaultyCommand.Where where = FaultyCommand.Where.values()[r.nextInt(2)];
            Kind k = Kind.values()[r.nextInt(2)];
            Throwable thrown = k.make("injected " + k + " in " + where + " of a command of " + lane);
            FaultyCommand faulty = FaultyCommand.throwing(command, where, thrown);
            faultyCommands.add(faulty);
            what[0] = what[0] + " throwing " + k + " from " + where;
            return faulty;
        }
        return command;
    }

    private static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    private void submitter(Lane lane, Random r, int commands) {
        lane.submitting(Thread.currentThread());
        try {
            for (int i = 0; i < commands; i++) {
                if (!submitOne(lane, r)) {
                    return;
                }
                if (r.nextInt(4) == 0) {
                    LockSupport.parkNanos(r.nextInt(20_000));
                }
            }
        } finally {
            lane.submitting(null);
            Thread.interrupted();
        }
    }

    /** @return false once the queue no longer takes commands */
    private boolean submitOne(Lane lane, Random r) {
        AtomicIntegerArray runs = new AtomicIntegerArray(1 + r.nextInt(3));
        String[] what = new String[1];
        HwCommand command = command(lane, r, runs, what);
        int how = r.nextInt(20);
        long before = lane.q.submitted();
        long seq;
        try {
            if (how == 0) {
                try {
                    seq = lane.q.submit(foreign());
                } catch (IllegalArgumentException expected) {
                    noneQueued(lane, before, "a rejected command");
                    return true;
                }
                // a detached queue has no backend to ask; the command must fail later
                if (!swapped) {
                    violation(lane + ": a command no host queue accepts was accepted by a queue that was never detached");
                }
                runs = null;
                what[0] = "foreign";
            } else if (how < 6) {
                OptionalLong offered = lane.q.offer(command, how < 4 ? Duration.ZERO : Duration.ofNanos(r.nextInt(200_000)));
                if (offered.isEmpty()) {
                    noneQueued(lane, before, "an offer that gave up");
                    return true;
                }
                seq = offered.getAsLong();
            } else {
                seq = lane.q.submit(command);
            }
        } catch (InterruptedException e) {
            noneQueued(lane, before, "an interrupted offer");
            return true;
        } catch (IllegalStateException e) {
            if (Thread.interrupted()) {
                noneQueued(lane, before, "an interrupted submit");
                return true;
            }
            tolerate(lane, e, "submit");
            return false;
        } catch (RuntimeException | Error e) {
            tolerate(lane, e, "submit");
            return false;
        }
        if (seq != lane.lastSeq + 1) {
            violation(lane + ": submit returned " + seq + " after " + lane.lastSeq);
        }
        lane.lastSeq = seq;
        synchronized (lane.cmds) {
            lane.cmds.add(new Cmd(seq, what[0], runs));
        }
        return true;
    }

    private void noneQueued(Lane lane, long before, String what) {
        if (lane.q.submitted() != before) {
            violation(lane + ": " + what + " took a sequence number (submitted " + before + " -> " + lane.q.submitted() + ")");
        }
    }

    private void controller(Random r, int ops) {
        for (int i = 0; i < ops; i++) {
            Lane lane = lanes.get(r.nextInt(lanes.size()));
            int op = r.nextInt(12);
            if (!faults && op == 10) {
                op = 11;
            }
            try {
                control(r, lane, op);
            } catch (RuntimeException | Error e) {
                tolerate(lane, e, "operation " + op);
            }
        }
    }

    private void control(Random r, Lane lane, int op) {
        switch (op) {
            case 0, 1 -> {
                log.add("suspend " + lane);
                lane.q.suspend();
            }
            case 2 -> {
                log.add("resume " + lane);
                lane.q.resume();
            }
            case 3 -> {
                log.add("resume(drop) " + lane);
                lane.dropAsked = true;
                lane.q.resume(true);
            }
            case 4 -> {
                PreemptLevel to = PreemptLevel.of(1 + r.nextInt(3));
                log.add("level " + to.number() + " " + lane);
                try {
                    lane.q.level(to);
                } catch (IllegalArgumentException aboveTheDevice) {
                    log.add("(refused)");
                }
            }
            case 5 -> {
                int threshold = 1 + r.nextInt(6);
                LaunchConfig c = new LaunchConfig(threshold, 1 + r.nextInt(threshold));
                log.add("launch " + c.describe() + " " + lane);
                lane.q.launchConfig(c);
            }
            case 6 -> {
                int p = r.nextInt(4) - 1;
                log.add("priority " + p + " " + lane);
                try {
                    session.runtime.hint(new Hint.Priority(HintTarget.queue(lane.q.id()), p));
                } catch (IllegalArgumentException closed) {
                    log.add("(no such queue)");
                }
            }
            case 7 -> {
                log.add("close " + lane);
                lane.closeCalled = true;
                lane.q.close();
            }
            case 8 -> {
                swapped = true;
                PreemptLevel max = PreemptLevel.of(1 + r.nextInt(3));
                log.add("swap backend to Lv" + max.number());
                if (max == PreemptLevel.LAUNCH) {
                    swappedToLevel1 = true;
                }
                session.swap(use(new FaultyBackend(new HostBackend(1, max)), r));
            }
            case 9 -> {
                log.add("interrupt submitter of " + lane);
                lane.interruptSubmitter();
            }
            case 10 -> {
                Thread worker = session.launchWorker(lane.q.id());
                log.add("interrupt worker of " + lane + (worker == null ? " (none)" : ""));
                if (worker != null) {
                    lane.workerInterrupted = true;
                    worker.interrupt();
                }
            }
            default -> LockSupport.parkNanos(r.nextInt(30_000));
        }
    }

    private void check() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CAP_MILLIS);
        for (Lane lane : lanes) {
            List<Cmd> cmds;
            synchronized (lane.cmds) {
                cmds = List.copyOf(lane.cmds);
            }
            for (Cmd cmd : cmds) {
                checkEnded(lane, cmd, deadline);
            }
            if (lane.q.submitted() != lane.lastSeq) {
                violation(lane + ": submitted() = " + lane.q.submitted() + ", but the last sequence number returned was " + lane.lastSeq);
            }
            if (lane.q.finished() != lane.q.submitted()) {
                violation(lane + ": finished() = " + lane.q.finished() + " of " + lane.q.submitted() + " submitted; " + state(lane));
            }
            if (!lane.closeCalled) {
                checkStatus(lane);
            }
        }
    }

    /** Waits for the command until the round's {@code deadline}, then checks how it ended. */
    private void checkEnded(Lane lane, Cmd cmd, long deadline) throws InterruptedException {
        totals.submitted.incrementAndGet();
        Outcome o;
        try {
            o = lane.q.await(cmd.seq(), Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        } catch (TimeoutException e) {
            violation(lane + ": command " + cmd.seq() + " (" + cmd.what() + ") did not end; " + state(lane));
            return;
        }
        Outcome again = lane.q.outcome(cmd.seq());
        if (again != o) {
            violation(lane + ": command " + cmd.seq() + " ended " + o + ", then reads " + again);
        }
        checkRuns(lane, cmd, o);
        switch (o) {
            case COMPLETED -> {
                totals.completed.incrementAndGet();
                if (cmd.foreign()) {
                    violation(lane + ": command " + cmd.seq() + ", one no host queue accepts, COMPLETED");
                }
            }
            case FAILED -> {
                totals.failed.incrementAndGet();
                Throwable failure = lane.q.failure(cmd.seq());
                if (failure == null) {
                    violation(lane + ": command " + cmd.seq() + " FAILED without a failure");
                }
                if (!lane.commandsMayHaveFailed() && !cmd.foreign()) {
                    violation(lane + ": command " + cmd.seq() + " (" + cmd.what() + ") FAILED with no fault injected: " + failure);
                }
            }
            case DROPPED -> {
                totals.dropped.incrementAndGet();
                if (!lane.dropAsked && !lane.closeCalled) {
                    violation(lane + ": command " + cmd.seq() + " DROPPED, but neither a drop nor a close was asked");
                }
            }
        }
    }

    private void checkRuns(Lane lane, Cmd cmd, Outcome o) {
        if (cmd.foreign()) {
            return;
        }
        for (int b = 0; b < cmd.runs().length(); b++) {
            int runs = cmd.runs().get(b);
            boolean ok = switch (o) {
                case COMPLETED -> runs == 1;
                case DROPPED -> runs == 0;
                case FAILED -> runs <= 1;
            };
            if (!ok) {
                violation(lane + ": command " + cmd.seq() + " (" + cmd.what() + ") " + o + ", block " + b + " ran " + runs + " times");
            }
        }
    }

    private QueueDTO dto(Lane lane) {
        return session.runtime.snapshot().queues.stream().filter(x -> x.id == lane.q.id()).findFirst().orElse(null);
    }

    private void checkStatus(Lane lane) {
        QueueDTO d = dto(lane);
        if (d == null) {
            violation(lane + ": an open queue is missing from the snapshot");
            return;
        }
        if (!List.of("RUNNING", "SUSPENDED", "DETACHED", "FAILED").contains(d.status)) {
            violation(lane + ": status " + d.status);
        }
        if ("FAILED".equals(d.status)) {
            if (d.failure == null) {
                violation(lane + ": FAILED without QueueDTO.failure");
            }
            if (!lane.mayHaveFailed()) {
                violation(lane + ": FAILED with no fault injected: " + d.failure);
            }
            try {
                lane.q.submit(FaultFixture.noop("after failure"));
                violation(lane + ": a FAILED queue took a submit");
            } catch (IllegalStateException expected) {
                // as it should
            }
        }
    }

    private String state(Lane lane) {
        QueueDTO d = dto(lane);
        return d == null ? "not in the snapshot" : "status=" + d.status + " failure=" + d.failure + " state=" + d.state
                + " suspended=" + d.suspended + " level=" + d.level + " pending=" + d.pending + " inFlight=" + d.inFlight
                + " blocked=" + d.blockedReason;
    }

    /** Closes the storm's queues (racing nothing now); the runtime stays for the next storm. */
    private void closeQueues() {
        for (Lane lane : lanes) {
            try {
                lane.q.close();
            } catch (RuntimeException | Error e) {
                violation("close of " + lane + " at the end threw " + e);
            }
        }
    }

    /** Block counts did not move while the queues closed; their launch workers are gone. */
    private void afterClose(int launchThreads) throws InterruptedException {
        for (Lane lane : retiredLanes) {
            List<Cmd> cmds;
            synchronized (lane.cmds) {
                cmds = List.copyOf(lane.cmds);
            }
            for (Cmd cmd : cmds) {
                Outcome o = lane.q.outcome(cmd.seq());
                if (o != null) {
                    checkRuns(lane, cmd, o);
                }
            }
        }
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CAP_MILLIS);
        List<Thread> left = FaultFixture.threads("xsched-launch-");
        while (left.size() > launchThreads && System.nanoTime() < end) {
            Thread.sleep(1);
            left = FaultFixture.threads("xsched-launch-");
        }
        if (left.size() > launchThreads) {
            violation("launch threads left after the storm's queues closed: " + left.size() + " (before: " + launchThreads + "): "
                    + left.stream().map(Thread::getName).sorted().collect(Collectors.joining(", ")));
        }
    }

    /** @return the stacks of the xsched and storm threads */
    static String dump() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            String name = e.getKey().getName();
            if (name.startsWith("xsched-") || name.startsWith("storm-")) {
                sb.append("  ").append(name).append(' ').append(e.getKey().getState()).append('\n');
                for (StackTraceElement f : e.getValue()) {
                    sb.append("      at ").append(f).append('\n');
                }
            }
        }
        return sb.toString();
    }
}
