package xsched.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import xsched.api.DeviceKind;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.LaunchConfig;
import xsched.api.Outcome;
import xsched.api.PreemptLevel;
import xsched.api.QueueState;
import xsched.api.XpuDevice;
import xsched.api.dto.QueueDTO;
import xsched.core.embed.EmbeddedXsched;
import xsched.spi.hal.HwCommand;
import xsched.spi.policy.PolicyContext;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulerStatus;
import xsched.spi.policy.SchedulingPolicy;

/** Queues of other processes in a runtime: admitted, listed, hinted, scheduled, removed. */
class ForeignQueuesTest {
    /** A queue of another process as a daemon would admit it, with readiness set by the test. */
    static final class Remote implements ForeignQueue {
        private final long id;
        private final long pid;
        volatile boolean ready;
        volatile boolean suspended;

        Remote(long id, long pid) {
            this.id = id;
            this.pid = pid;
        }

        @Override public long id() { return id; }
        @Override public String name() { return "remote"; }
        @Override public XpuDevice device() { return new XpuDevice("gpu:x", "test", DeviceKind.GPU, "test", PreemptLevel.LAUNCH); }
        @Override public long pid() { return pid; }
        @Override public boolean ready() { return ready; }
        @Override public void describe(QueueDTO dto) { dto.client = "test"; }
        @Override public void suspend() { suspended = true; }
        @Override public void resume(boolean dropPending) { suspended = false; }
        @Override public boolean suspended() { return suspended; }
        @Override public QueueState state() { return ready ? QueueState.READY : QueueState.IDLE; }
        @Override public LaunchConfig launchConfig() { return LaunchConfig.DEFAULT; }
        @Override public void launchConfig(LaunchConfig config) { }
        @Override public PreemptLevel level() { return PreemptLevel.LAUNCH; }
        @Override public void level(PreemptLevel level) { }
        @Override public long submitted() { return 0; }
        @Override public long finished() { return 0; }
        @Override public long submit(HwCommand command) { throw new UnsupportedOperationException(); }
        @Override public OptionalLong offer(HwCommand command, Duration timeout) { throw new UnsupportedOperationException(); }
        @Override public Outcome await(long seq) { throw new UnsupportedOperationException(); }
        @Override public Outcome await(long seq, Duration timeout) { throw new UnsupportedOperationException(); }
        @Override public void awaitAll() { throw new UnsupportedOperationException(); }
        @Override public Outcome outcome(long seq) { throw new UnsupportedOperationException(); }
        @Override public Throwable failure(long seq) { throw new UnsupportedOperationException(); }
        @Override public void close() { throw new UnsupportedOperationException(); }
    }

    /** Of the READY queues, only those of the highest priority run. */
    static final class OnlyTheTopRuns implements SchedulingPolicy {
        @Override
        public void schedule(SchedulerStatus status, PolicyContext context) {
            int top = status.queues().stream().filter(QueueStatus::ready).mapToInt(q -> q.hints().priority()).max().orElse(Integer.MIN_VALUE);
            for (QueueStatus q : status.queues()) {
                if (q.ready() && q.hints().priority() < top) {
                    context.suspend(q.id());
                } else {
                    context.resume(q.id());
                }
            }
        }
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private static int priorityOf(EmbeddedXsched x, long id) {
        return x.snapshot().queues.stream().filter(q -> q.id == id).findFirst().orElseThrow().priority;
    }

    @Test
    void anAdmittedQueueIsListedHintedAndScheduledThenRemoved() throws Exception {
        try (EmbeddedXsched x = EmbeddedXsched.builder().policy("top", new OnlyTheTopRuns()).build()) {
            Remote low = x.foreignQueues().admit(id -> new Remote(id, 4242));
            Remote high = x.foreignQueues().admit(id -> new Remote(id, 4343));
            x.hint(new Hint.Priority(HintTarget.queue(low.id()), 1));
            x.hint(new Hint.Priority(HintTarget.queue(high.id()), 9));
            low.ready = true;
            x.foreignQueues().changed(low);
            high.ready = true;
            x.foreignQueues().changed(high);
            x.awaitScheduled();
            assertThat(low.suspended).as("the policy suspends the lower of two READY queues").isTrue();
            assertThat(high.suspended).isFalse();
            assertThat(x.queues()).extracting(q -> q.id()).contains(low.id(), high.id());
            assertThat(x.snapshot().queues).filteredOn(q -> q.id == low.id()).extracting(q -> q.client).containsExactly("test");

            x.foreignQueues().remove(high);
            x.awaitScheduled();
            assertThat(low.suspended).as("the policy runs again without the removed queue").isFalse();
            assertThat(x.queue(high.id())).isEmpty();
        }
    }

    @Test
    void aProcesssHintsOutliveItsQueuesOnlyWhileTheProcessLives() throws Exception {
        long dead = deadPid();
        long alive = ProcessHandle.current().pid();
        try (EmbeddedXsched x = EmbeddedXsched.builder().policy("top", new OnlyTheTopRuns()).build()) {
            x.hint(new Hint.Priority(HintTarget.process(dead), 7));
            x.hint(new Hint.Priority(HintTarget.process(alive), 5));
            Remote gone = x.foreignQueues().admit(id -> new Remote(id, dead));
            Remote here = x.foreignQueues().admit(id -> new Remote(id, alive));
            x.awaitScheduled();
            assertThat(priorityOf(x, gone.id())).isEqualTo(7);
            assertThat(priorityOf(x, here.id())).isEqualTo(5);

            x.foreignQueues().remove(gone);
            x.foreignQueues().remove(here);
            x.awaitScheduled();
            Remote reused = x.foreignQueues().admit(id -> new Remote(id, dead));
            Remote again = x.foreignQueues().admit(id -> new Remote(id, alive));
            x.awaitScheduled();
            assertThat(priorityOf(x, reused.id())).as("a new process with the pid of one that ended inherits nothing").isZero();
            assertThat(priorityOf(x, again.id())).as("a live process keeps its hints between queues").isEqualTo(5);
        }
    }
}
