package xsched.core.faults;

import xsched.core.testing.TestPriorityPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static xsched.core.faults.FaultFixture.CAP_MILLIS;
import static xsched.core.faults.FaultFixture.assertCloses;
import static xsched.core.faults.FaultFixture.assertCompletedOrFailed;
import static xsched.core.faults.FaultFixture.assertFailed;
import static xsched.core.faults.FaultFixture.ended;
import static xsched.core.faults.FaultFixture.noop;
import static xsched.core.faults.FaultFixture.waitUntil;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.host.HostKernel;
import xsched.backend.host.HostTask;
import xsched.core.faults.FaultyBackend.Kind;
import xsched.core.faults.FaultyBackend.Site;
import xsched.spi.hal.HwCommand;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * One test per way a plug-in, a device command or the application can stall or break a queue, each
 * asserting the contract of {@link XQueue} and ARCHITECTURE §3 ("no plug-in can stall or kill the
 * machinery"). A broken hardware queue or a dead launch worker makes the queue FAILED: every
 * command not yet ended ends FAILED with a reason, submit throws, the snapshot says FAILED and why,
 * close still works. Every test has a timeout, so a hang fails instead of blocking the build;
 * every wait inside is capped at {@link FaultFixture#CAP_MILLIS}.
 *
 * <p>Commands held by a {@link Gate} are launched and cannot complete, so they are known to be in
 * flight when a fault fires. Where the test can, the gate stays shut until the queue is FAILED, its
 * commands have ended and {@code close()} has returned: a failed queue does not wait for its device.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FaultInjectionTest {
    /** How long the synchronize test holds the device to see whether close calls synchronize meanwhile. */
    private static final long SYNCHRONIZE_GRACE_MILLIS = 2_000;
    private FaultFixture fx;

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    private Throwable awaitFault() throws InterruptedException {
        assertThat(fx.backend.awaitFired(CAP_MILLIS)).as("the injected fault fired (%s)", fx.backend).isTrue();
        return fx.backend.fired();
    }

    /**
     * Submits; a submit that fails because the queue has just failed gives -1. Whether the submit
     * that runs into the fault (launching from the calling thread) returns or throws is not part of
     * the contract; either is accepted.
     */
    private long submitUnlessFailed(XQueue q, HwCommand command, Throwable injected) {
        try {
            return q.submit(command);
        } catch (IllegalStateException e) {
            return -1;
        } catch (Throwable t) {
            Throwable fired = fx.backend.fired();
            if (injected != null && FaultFixture.names(t, injected) || fired != null && FaultFixture.names(t, fired)) {
                return -1;
            }
            throw t;
        }
    }

    /** The queue is FAILED as far as the snapshot, submit and offer can tell. */
    private void assertQueueFailed(XQueue q) throws InterruptedException {
        fx.awaitFailedStatus(q);
        assertThatThrownBy(() -> q.submit(noop("after the failure"))).as("submit to a FAILED queue")
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> q.offer(noop("after the failure"), Duration.ZERO)).as("offer to a FAILED queue")
                .isInstanceOf(IllegalStateException.class);
    }

    /** A hardware queue that throws (any Throwable) from an SPI method: the queue fails, nothing hangs. */
    @Nested
    class BrokenHardwareQueue {
        @ParameterizedTest
        @EnumSource(Kind.class)
        void record(Kind kind) throws Exception {
            fx = new FaultFixture(1);
            XQueue q = fx.queue("host:0", PreemptLevel.INTERRUPT, new LaunchConfig(1, 1));
            Gate g = fx.gate();
            fx.backend.arm(Site.RECORD, 2, kind);
            long a = q.submit(g.task("a"));
            long b = submitUnlessFailed(q, noop("b"), null);
            long c = submitUnlessFailed(q, noop("c"), null);
            g.awaitEntered();
            g.open();
            Throwable fault = awaitFault();
            assertQueueFailed(q);
            assertCompletedOrFailed(q, a, fault);
            for (long seq : new long[] {b, c}) {
                if (seq > 0) {
                    assertFailed(q, seq, fault);
                }
            }
            assertCloses(q);
        }

        @ParameterizedTest
        @EnumSource(Kind.class)
        void syncPointAwait(Kind kind) throws Exception {
            fx = new FaultFixture(1);
            XQueue q = fx.queue("host:0", PreemptLevel.INTERRUPT, new LaunchConfig(1, 1));
            Gate g = fx.gate();
            fx.backend.arm(Site.SYNC_AWAIT, 1, kind);
            long a = q.submit(g.task("a"));
            g.awaitEntered();
            long b = submitUnlessFailed(q, noop("b"), null);
            long c = submitUnlessFailed(q, noop("c"), null);
            long last = Math.max(a, Math.max(b, c));
            // someone waiting for the last command makes the queue await a sync point (its worker or the waiter itself)
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    q.await(last, Duration.ofMillis(CAP_MILLIS));
                } catch (Exception | Error ignored) {
                    // the waiter only provokes the await; the test checks the outcome
                }
            });
            failsWhileGated(q, g, Site.SYNC_AWAIT, a, b, c);
        }

        @ParameterizedTest
        @EnumSource(Kind.class)
        void syncPointReached(Kind kind) throws Exception {
            fx = new FaultFixture(1);
            XQueue q = fx.queue("host:0", PreemptLevel.INTERRUPT, new LaunchConfig(4, 1));
            Gate g = fx.gate();
            fx.backend.arm(Site.SYNC_REACHED, 1, kind);
            long a = q.submit(g.task("a"));
            g.awaitEntered();
            long b = submitUnlessFailed(q, noop("b"), null);
            long c = submitUnlessFailed(q, noop("c"), null);
            failsWhileGated(q, g, Site.SYNC_REACHED, a, b, c);
        }

        /**
         * The fault should fire while {@code a} holds the device: then a and whatever of b and c was
         * submitted (a submit that ran into the failure gives -1) end FAILED before the gate opens. If
         * it fires only later, each ends COMPLETED or FAILED; if this queue never calls {@code site}
         * here, the test is skipped.
         */
        private void failsWhileGated(XQueue q, Gate g, Site site, long... seqs) throws InterruptedException {
            long[] submitted = Arrays.stream(seqs).filter(seq -> seq > 0).toArray();
            boolean whileGated = fx.backend.awaitFired(CAP_MILLIS);
            if (!whileGated) {
                g.open();
                for (long seq : submitted) {
                    ended(q, seq);
                }
                Assumptions.assumeTrue(fx.backend.fired() != null, "this queue never calls " + site + " here");
            }
            Throwable fault = fx.backend.fired();
            assertQueueFailed(q);
            for (long seq : submitted) {
                if (whileGated) {
                    assertFailed(q, seq, fault);
                } else {
                    assertCompletedOrFailed(q, seq, fault);
                }
            }
            assertCloses(q);
        }

        @ParameterizedTest
        @EnumSource(Kind.class)
        void synchronize(Kind kind) throws Exception {
            fx = new FaultFixture(1);
            XQueue q = fx.queue("host:0", PreemptLevel.INTERRUPT, new LaunchConfig(4, 1));
            Gate g = fx.gate();
            fx.backend.arm(Site.SYNCHRONIZE, 1, kind);
            long a = q.submit(g.task("a"));
            long b = q.submit(noop("b"));
            g.awaitEntered();
            Thread closer = Thread.ofPlatform().daemon().start(q::close);
            // a queue may call synchronize on close before or after its launched work ended; give it
            // a moment while a is held, then let a run
            boolean firedWhileGated = fx.backend.awaitFired(SYNCHRONIZE_GRACE_MILLIS);
            g.open();
            closer.join(CAP_MILLIS);
            assertThat(closer.isAlive()).as("close() returned").isFalse();
            Assumptions.assumeTrue(fx.backend.fired() != null, "this queue never calls synchronize here");
            Throwable fault = fx.backend.fired();
            if (firedWhileGated) {
                assertFailed(q, a, fault);
                assertFailed(q, b, fault);
            } else {
                assertCompletedOrFailed(q, a, fault);
                assertCompletedOrFailed(q, b, fault);
            }
            assertThatThrownBy(() -> q.submit(noop("after"))).isInstanceOf(IllegalStateException.class);
        }

        @ParameterizedTest
        @EnumSource(Kind.class)
        void deactivate(Kind kind) throws Exception {
            preemption(PreemptLevel.DEACTIVATE, Site.DEACTIVATE, kind);
        }

        @ParameterizedTest
        @EnumSource(Kind.class)
        void reactivate(Kind kind) throws Exception {
            preemption(PreemptLevel.DEACTIVATE, Site.REACTIVATE, kind);
        }

        @ParameterizedTest
        @EnumSource(Kind.class)
        void interrupt(Kind kind) throws Exception {
            preemption(PreemptLevel.INTERRUPT, Site.INTERRUPT, kind);
        }

        @ParameterizedTest
        @EnumSource(Kind.class)
        void restore(Kind kind) throws Exception {
            preemption(PreemptLevel.INTERRUPT, Site.RESTORE, kind);
        }

        /**
         * Another queue's gated task holds the device, so q's two launched commands wait on the device
         * without running; suspend (and, for the relaunch sites, resume) hits the fault. The other
         * queue is not affected.
         */
        private void preemption(PreemptLevel level, Site site, Kind kind) throws Exception {
            fx = new FaultFixture(1);
            XQueue holder = fx.queue("host:0", PreemptLevel.LAUNCH, LaunchConfig.DEFAULT);
            XQueue q = fx.queue("host:0", level, new LaunchConfig(2, 1));
            Gate g = fx.gate();
            long held = holder.submit(g.task("holder"));
            g.awaitEntered();
            long a = q.submit(noop("a"));
            long b = q.submit(noop("b"));
            long c = q.submit(noop("c"));
            waitUntil("a and b launched", () -> fx.backend.calls(Site.LAUNCH) >= 3);
            fx.backend.arm(site, 1, kind);
            suspendOrResume(q::suspend);
            if (site == Site.REACTIVATE || site == Site.RESTORE) {
                suspendOrResume(q::resume);
            }
            Throwable fault = awaitFault();
            assertQueueFailed(q);
            assertFailed(q, a, fault);
            assertFailed(q, b, fault);
            assertFailed(q, c, fault);
            assertCloses(q);
            g.open();
            assertThat(ended(holder, held)).as("the other queue's command").isEqualTo(Outcome.COMPLETED);
            long after = holder.submit(noop("holder after"));
            assertThat(ended(holder, after)).isEqualTo(Outcome.COMPLETED);
        }

        private static void suspendOrResume(Runnable call) {
            try {
                call.run();
            } catch (Throwable t) {
                // whether the caller sees the backend's fault is not part of the contract; the queue's state is
            }
        }

        @Test
        void launchError() throws Exception {
            fx = new FaultFixture(1);
            XQueue q = fx.queue("host:0", PreemptLevel.INTERRUPT, new LaunchConfig(4, 1));
            Gate g = fx.gate();
            fx.backend.arm(Site.LAUNCH, 2, Kind.ERROR);
            long a = q.submit(g.task("a"));
            g.awaitEntered();
            long b = submitUnlessFailed(q, noop("b"), null);
            Throwable fault = awaitFault();
            long c = submitUnlessFailed(q, noop("c"), fault);
            assertQueueFailed(q);
            assertFailed(q, a, fault);
            if (b > 0) {
                assertFailed(q, b, fault);
            }
            if (c > 0) {
                assertFailed(q, c, fault);
            }
            assertCloses(q);
        }

        @Test
        void launchRuntimeExceptionFailsOnlyThatCommand() throws Exception {
            fx = new FaultFixture(1);
            XQueue q = fx.queue("host:0", PreemptLevel.INTERRUPT, new LaunchConfig(4, 1));
            fx.backend.arm(Site.LAUNCH, 2, Kind.RUNTIME_EXCEPTION);
            long a = q.submit(noop("a"));
            long b = q.submit(noop("b"));
            long c = q.submit(noop("c"));
            Throwable fault = awaitFault();
            assertThat(ended(q, a)).isEqualTo(Outcome.COMPLETED);
            assertFailed(q, b, fault);
            assertThat(q.failure(b)).as("the launch's own exception").isSameAs(fault);
            assertThat(ended(q, c)).isEqualTo(Outcome.COMPLETED);
            long d = q.submit(noop("d"));
            assertThat(ended(q, d)).isEqualTo(Outcome.COMPLETED);
            assertThat(fx.dto(q).status).isNotEqualTo("FAILED");
            assertThat(fx.dto(q).failure).isNull();
            assertCloses(q);
        }
    }

    /** A command that throws an Error from its own SPI methods breaks the queue it is on. */
    @Nested
    class BrokenCommand {
        @Test
        void beforeLaunchError() throws Exception {
            fx = new FaultFixture(1);
            XQueue q = fx.queue("host:0", PreemptLevel.INTERRUPT, new LaunchConfig(4, 1));
            Gate g = fx.gate();
            FaultyCommand bad = FaultyCommand.throwing(noop("b"), FaultyCommand.Where.BEFORE_LAUNCH,
                    Kind.ERROR.make("injected error in beforeLaunch"));
            long a = q.submit(g.task("a"));
            g.awaitEntered();
            long b = submitUnlessFailed(q, bad, bad.thrown());
            long c = submitUnlessFailed(q, noop("c"), bad.thrown());
            assertThat(bad.awaitThrown(CAP_MILLIS)).as("beforeLaunch was called").isTrue();
            assertQueueFailed(q);
            assertFailed(q, a, bad.thrown());
            if (b > 0) {
                assertFailed(q, b, bad.thrown());
            }
            if (c > 0) {
                assertFailed(q, c, bad.thrown());
            }
            assertCloses(q);
        }

        @Test
        void failureError() throws Exception {
            fx = new FaultFixture(1);
            XQueue q = fx.queue("host:0", PreemptLevel.INTERRUPT, new LaunchConfig(4, 1));
            Gate g = fx.gate();
            FaultyCommand bad = FaultyCommand.throwing(noop("b"), FaultyCommand.Where.FAILURE,
                    Kind.ERROR.make("injected error in failure()"));
            // all four are in before any of them can end: b's failure() is asked when b retires,
            // which may be as soon as the queue runs
            q.suspend();
            long a = q.submit(noop("a"));
            long b = q.submit(bad);
            long c = q.submit(g.task("c"));
            long d = q.submit(noop("d"));
            q.resume();
            assertThat(bad.awaitThrown(CAP_MILLIS)).as("failure() was called when b retired").isTrue();
            assertQueueFailed(q);
            assertCompletedOrFailed(q, a, bad.thrown());
            assertFailed(q, b, bad.thrown());
            assertFailed(q, c, bad.thrown());
            assertFailed(q, d, bad.thrown());
            assertCloses(q);
        }
    }

    @Test
    void interruptedLaunchWorkerFailsTheQueue() throws Exception {
        fx = new FaultFixture(1);
        XQueue q = fx.queue("host:0", PreemptLevel.INTERRUPT, new LaunchConfig(1, 1));
        Gate g = fx.gate();
        long a = q.submit(g.task("a"));
        long b = q.submit(noop("b"));
        long c = q.submit(noop("c"));
        g.awaitEntered();
        fx.launchWorker(q).interrupt();
        assertQueueFailed(q);
        assertFailed(q, a, null);
        assertFailed(q, b, null);
        assertFailed(q, c, null);
        assertCloses(q);
    }

    /** What submit and the sequence-number lookups refuse, and the bound on pending commands. */
    @Nested
    class Submission {
        @Test
        void aRejectedCommandIsNotQueued() throws Exception {
            fx = new FaultFixture(1);
            XQueue q = fx.queue("host:0", PreemptLevel.INTERRUPT, LaunchConfig.DEFAULT);
            HwCommand foreign = new HwCommand() {
            };
            assertThatThrownBy(() -> q.submit(foreign)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> q.offer(foreign, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            assertThat(q.submitted()).isZero();
            HostTask once = noop("once");
            assertThat(q.submit(once)).isEqualTo(1);
            assertThatThrownBy(() -> q.submit(once)).as("a command submitted twice").isInstanceOf(IllegalArgumentException.class);
            assertThat(q.submitted()).isEqualTo(1);
            assertThat(q.submit(noop("next"))).isEqualTo(2);
            q.awaitAll();
            assertThat(q.finished()).isEqualTo(2);
            assertThat(q.outcome(1)).isEqualTo(Outcome.COMPLETED);
            assertThat(q.outcome(2)).isEqualTo(Outcome.COMPLETED);
        }

        @Test
        void sequenceNumbersNeverReturnedAreRejected() throws Exception {
            fx = new FaultFixture(1);
            XQueue q = fx.queue("host:0", PreemptLevel.INTERRUPT, LaunchConfig.DEFAULT);
            assertThatThrownBy(() -> q.outcome(1)).as("outcome(1) before any submit").isInstanceOf(IllegalArgumentException.class);
            long seq = q.submit(noop("one"));
            assertThat(q.await(seq)).isEqualTo(Outcome.COMPLETED);
            assertThatThrownBy(() -> q.outcome(0)).as("outcome(0)").isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> q.outcome(-1)).as("outcome(-1)").isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> q.outcome(2)).as("outcome(submitted + 1)").isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> q.await(0)).as("await(0)").isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> q.await(2, Duration.ofMillis(1))).as("await(submitted + 1, timeout)")
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> q.failure(0)).as("failure(0)").isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> q.failure(2)).as("failure(submitted + 1)").isInstanceOf(IllegalArgumentException.class);
        }

        private XQueue suspendedWithRoomFor(int maxPending) {
            XQueue q = fx.queue("host:0", QueueOptions.defaults().withLevel(PreemptLevel.INTERRUPT).withMaxPending(maxPending));
            q.suspend();
            return q;
        }

        @Test
        void offerGivesUpWhenFullAndSubmitWaitsForRoom() throws Exception {
            fx = new FaultFixture(1);
            XQueue q = suspendedWithRoomFor(3);
            for (int i = 1; i <= 3; i++) {
                assertThat(q.offer(noop("p" + i), Duration.ZERO)).isEqualTo(OptionalLong.of(i));
            }
            assertThat(q.offer(noop("p4"), Duration.ZERO)).as("offer beyond maxPending").isEmpty();
            assertThat(q.submitted()).isEqualTo(3);
            assertThat(fx.dto(q).maxPending).isEqualTo(3);
            assertThat(fx.dto(q).pending).isEqualTo(3);
            AtomicReference<Object> result = new AtomicReference<>();
            Thread submitter = Thread.ofPlatform().daemon().start(() -> {
                try {
                    result.set(q.submit(noop("waits")));
                } catch (Throwable t) {
                    result.set(t);
                }
            });
            waitUntil("submit waits for room", () -> isWaiting(submitter));
            assertThat(result.get()).isNull();
            assertThat(q.submitted()).isEqualTo(3);
            q.resume();
            submitter.join(CAP_MILLIS);
            assertThat(result.get()).as("submit returned once there was room").isEqualTo(4L);
            q.awaitAll();
            assertThat(q.finished()).isEqualTo(4);
        }

        @Test
        void anInterruptedSubmitQueuesNothing() throws Exception {
            fx = new FaultFixture(1);
            XQueue q = suspendedWithRoomFor(2);
            q.submit(noop("p1"));
            q.submit(noop("p2"));
            AtomicBoolean ran = new AtomicBoolean();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            Thread submitter = Thread.ofPlatform().daemon().start(() -> {
                try {
                    q.submit(HostTask.of("never", () -> ran.set(true)));
                } catch (Throwable t) {
                    thrown.set(t);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            waitUntil("submit waits for room", () -> isWaiting(submitter));
            submitter.interrupt();
            submitter.join(CAP_MILLIS);
            assertThat(submitter.isAlive()).as("the interrupted submit returned").isFalse();
            assertThat(thrown.get()).isInstanceOf(IllegalStateException.class);
            assertThat(stillInterrupted).as("interrupt status set again").isTrue();
            assertThat(q.submitted()).isEqualTo(2);
            q.resume();
            q.awaitAll();
            assertThat(q.finished()).isEqualTo(2);
            assertThat(ran).as("the interrupted command ran").isFalse();
        }

        private static boolean isWaiting(Thread t) {
            Thread.State s = t.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        }
    }

    /** close() called by a command running on the device: no deadlock. */
    @Nested
    class CloseFromTheDevice {
        @ParameterizedTest
        @ValueSource(strings = {"task", "kernel"})
        void aCommandClosesItsOwnQueue(String what) throws Exception {
            fx = new FaultFixture(1);
            XQueue q = fx.queue("host:0", PreemptLevel.INTERRUPT, LaunchConfig.DEFAULT);
            CountDownLatch closed = new CountDownLatch(1);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicInteger laterBlocks = new AtomicInteger();
            Runnable closeQ = () -> {
                try {
                    q.close();
                } catch (Throwable t) {
                    thrown.set(t);
                }
                closed.countDown();
            };
            HwCommand closing = what.equals("task") ? HostTask.of("close", closeQ)
                    : HostKernel.of("close", 3, (block, ctx) -> {
                        if (block == 0) {
                            closeQ.run();
                        } else {
                            laterBlocks.incrementAndGet();
                        }
                    });
            long a = q.submit(noop("a"));
            long b = q.submit(closing);
            assertThat(closed.await(CAP_MILLIS, TimeUnit.MILLISECONDS)).as("close() from the queue's own command returned").isTrue();
            assertThat(thrown.get()).as("close() threw").isNull();
            assertThat(ended(q, a)).isEqualTo(Outcome.COMPLETED);
            Outcome ob = ended(q, b);
            if (ob == Outcome.COMPLETED && what.equals("kernel")) {
                waitUntil("the closing kernel's other blocks ran", () -> laterBlocks.get() == 2);
            }
            assertThat(ob).isIn(Outcome.COMPLETED, Outcome.FAILED);
            assertThatThrownBy(() -> q.submit(noop("after"))).isInstanceOf(IllegalStateException.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {"host:0", "host:1"})
        void aCommandOfAnotherQueueClosesAQueueWithWorkOnTheDevice(String closerDevice) throws Exception {
            fx = new FaultFixture(2);
            XQueue closer = fx.queue(closerDevice, PreemptLevel.INTERRUPT, LaunchConfig.DEFAULT);
            XQueue q = fx.queue("host:0", PreemptLevel.INTERRUPT, LaunchConfig.DEFAULT);
            Gate g = fx.gate();
            CountDownLatch closed = new CountDownLatch(1);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            long held = closer.submit(g.task("holds " + closerDevice));
            long t = closer.submit(HostTask.of("close q", () -> {
                try {
                    q.close();
                } catch (Throwable e) {
                    thrown.set(e);
                }
                closed.countDown();
            }));
            waitUntil("the closer's two commands launched", () -> fx.backend.calls(Site.LAUNCH) >= 2);
            g.awaitEntered();
            long a = q.submit(noop("a"));
            long b = q.submit(noop("b"));
            waitUntil("q's two commands launched", () -> fx.backend.calls(Site.LAUNCH) >= 4);
            g.open();
            assertThat(closed.await(CAP_MILLIS, TimeUnit.MILLISECONDS)).as("close() from a command on %s returned", closerDevice).isTrue();
            assertThat(thrown.get()).as("close() threw").isNull();
            assertThat(ended(closer, held)).isEqualTo(Outcome.COMPLETED);
            assertThat(ended(closer, t)).isEqualTo(Outcome.COMPLETED);
            for (long seq : new long[] {a, b}) {
                Outcome o = ended(q, seq);
                if (o == Outcome.FAILED) {
                    assertThat(q.failure(seq)).isNotNull();
                }
            }
            assertThatThrownBy(() -> q.submit(noop("after"))).isInstanceOf(IllegalStateException.class);
        }
    }

    /** A policy that throws or never returns, and a deactivation that takes long, leave the scheduler working. */
    @Nested
    class Scheduling {
        /** Suspends READY queues whose priority hint is negative, resumes the others. */
        private static void negativeWaits(SchedulerStatus status, PolicyContext context) {
            for (QueueStatus q : status.queues()) {
                if (q.ready() && q.hints().priority() < 0) {
                    context.suspend(q.id());
                } else {
                    context.resume(q.id());
                }
            }
        }

        /** A queue at priority -1 with a command waiting behind another queue's gated one: READY for as long as the gate is shut. */
        private XQueue readyLowQueue(Gate g) throws InterruptedException {
            XQueue holder = fx.queue("host:0", PreemptLevel.LAUNCH, LaunchConfig.DEFAULT);
            holder.submit(g.task("holder"));
            g.awaitEntered();
            XQueue low = fx.queue("host:0", PreemptLevel.INTERRUPT, LaunchConfig.DEFAULT);
            fx.runtime.hint(new Hint.Priority(HintTarget.queue(low.id()), -1));
            low.submit(noop("low"));
            return low;
        }

        @Test
        void aPolicyThrowingAnErrorDoesNotStopScheduling() throws Exception {
            AtomicBoolean threw = new AtomicBoolean();
            SchedulingPolicy boom = (status, context) -> {
                if (!threw.getAndSet(true)) {
                    throw new FaultyBackend.InjectedError("injected error in schedule");
                }
                negativeWaits(status, context);
            };
            // whether the engine keeps calling the policy after its Error or rejects it for the
            // fallback, the next decision suspends the low queue
            Map<String, SchedulingPolicy> policies = new LinkedHashMap<>();
            policies.put("fallback", Scheduling::negativeWaits);
            policies.put("boom", boom);
            fx = new FaultFixture(1, "boom", "fallback", policies);
            XQueue first = fx.queue("host:0", PreemptLevel.INTERRUPT, LaunchConfig.DEFAULT);
            first.awaitAll();
            waitUntil("the policy was called and threw", threw::get);
            Gate g = fx.gate();
            XQueue low = readyLowQueue(g);
            waitUntil("the policy's decision after its Error was applied (low queue suspended)", low::suspended);
            g.open();
        }

        @Test
        void aPolicyThatNeverReturnsIsReplacedByTheFallback() throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean entered = new AtomicBoolean();
            SchedulingPolicy stuck = (status, context) -> {
                entered.set(true);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            Map<String, SchedulingPolicy> policies = new LinkedHashMap<>();
            policies.put("fallback", Scheduling::negativeWaits);
            policies.put("stuck", stuck);
            fx = new FaultFixture(1, "stuck", "fallback", policies);
            fx.onClose(release::countDown);
            XQueue first = fx.queue("host:0", PreemptLevel.INTERRUPT, LaunchConfig.DEFAULT);
            waitUntil("the stuck policy was called", entered::get);
            Gate g = fx.gate();
            XQueue low = readyLowQueue(g);
            waitUntil("the fallback's decision was applied (low queue suspended)", low::suspended);
            waitUntil("the fallback is the active policy; active: " + fx.runtime.activePolicy(),
                    () -> fx.runtime.activePolicy().orElse("").equals("fallback"));
            assertThat(fx.runtime.snapshot().rejected).as("rejected plug-ins")
                    .anySatisfy(r -> assertThat(r.name).isEqualTo("stuck"));
            g.open();
            long after = first.submit(noop("after"));
            assertThat(ended(first, after)).isEqualTo(Outcome.COMPLETED);
        }

        @Test
        void aLevel3SuspendDuringALongBlockDoesNotHoldTheScheduler() throws Exception {
            Set<Long> seenReady = ConcurrentHashMap.newKeySet();
            AtomicBoolean probed = new AtomicBoolean();
            Map<String, SchedulingPolicy> policies = new LinkedHashMap<>();
            policies.put("prio", new TestPriorityPolicy(status -> status.queues().stream()
                    .filter(QueueStatus::ready).forEach(s -> seenReady.add(s.id()))));
            policies.put("probe", (status, context) -> probed.set(true));
            fx = new FaultFixture(2, "prio", "prio", policies);
            XQueue low = fx.queue("host:0", PreemptLevel.INTERRUPT, LaunchConfig.DEFAULT);
            XQueue high = fx.queue("host:0", PreemptLevel.INTERRUPT, LaunchConfig.DEFAULT);
            XQueue other = fx.queue("host:1", PreemptLevel.INTERRUPT, LaunchConfig.DEFAULT);
            fx.runtime.hint(new Hint.Priority(HintTarget.queue(high.id()), 10));
            Gate block = fx.gate();
            long lowSeq = low.submit(block.kernel("long non-preemptible block", 2));
            block.awaitEntered();
            long highSeq = high.submit(noop("high"));
            // the policy now suspends low; at level 3 its running block cannot be cut short
            waitUntil("the policy saw the high queue READY", () -> seenReady.contains(high.id()));
            Gate otherGate = fx.gate();
            long otherSeq = other.submit(otherGate.task("other"));
            waitUntil("another queue's READY edge is handled while the block runs", () -> seenReady.contains(other.id()));
            fx.runtime.activatePolicy("probe");
            waitUntil("a policy switch is applied while the block runs", probed::get);
            fx.runtime.activatePolicy("prio");
            block.open();
            otherGate.open();
            assertThat(ended(high, highSeq)).isEqualTo(Outcome.COMPLETED);
            assertThat(ended(other, otherSeq)).isEqualTo(Outcome.COMPLETED);
            assertThat(ended(low, lowSeq)).isEqualTo(Outcome.COMPLETED);
        }
    }
}
