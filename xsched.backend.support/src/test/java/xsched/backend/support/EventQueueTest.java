package xsched.backend.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.SyncPoint;

class EventQueueTest {
    private final Map<String, Throwable> failed = new LinkedHashMap<>();
    private final List<String> log = new ArrayList<>();
    private final FakeQueue queue = new FakeQueue();

    private record Named(String name) implements HwCommand {
    }

    /** A stream whose events are numbered; event n reports {@code errors.get(n)} once reached. */
    private final class FakeQueue extends EventQueue<String> {
        private final Map<Long, RuntimeException> errors = new LinkedHashMap<>();
        private long nextEvent = 1;
        private boolean reached;
        private boolean held;
        private int closedCalls;

        FakeQueue() {
            super("the fake queue", failed::put);
        }

        @Override
        public void accept(HwCommand command) {
        }

        @Override
        protected String admit(HwCommand command) {
            return ((Named) command).name();
        }

        @Override
        protected void enqueue(String command) {
            if (command.startsWith("bad")) {
                throw new IllegalArgumentException("refused " + command);
            }
            log.add("enqueue " + command);
        }

        @Override
        protected long placeEvent() {
            return nextEvent++;
        }

        @Override
        protected boolean eventReached(long event) {
            RuntimeException error = errors.get(event);
            if (error != null) {
                throw error;
            }
            return reached;
        }

        @Override
        protected void awaitEvent(long event) {
            eventReached(event);
        }

        @Override
        protected void releaseEvent(long event, boolean afterClose) {
            log.add("release " + event + (afterClose ? " after close" : ""));
        }

        @Override
        protected void drain() {
            log.add("drain");
        }

        @Override
        protected void free() {
            log.add("free");
        }

        @Override
        protected void closed() {
            closedCalls++;
        }

        /** Level 2 as a gated stream has it: a wait gives up while the work is held. */
        @Override
        protected boolean awaitUnlessHeld(long event) {
            if (held && !reached) {
                return false;
            }
            awaitEvent(event);
            return true;
        }

        @Override
        protected void beforeClose() {
            log.add("before close");
            held = false;
        }
    }

    @Test
    void aLaunchTheDriverRefusesFailsThatCommandAlone() {
        queue.launch(new Named("a"));
        queue.launch(new Named("bad1"));
        queue.launch(new Named("b"));

        assertThat(failed).containsOnlyKeys("bad1");
        assertThat(queue.outstanding()).isEqualTo(3);
        queue.synchronize();
        assertThat(queue.outstanding()).isZero();
        assertThat(failed).hasSize(1);
    }

    @Test
    void anErrorReportedForAnEventFailsExactlyTheCommandsBeforeIt() throws InterruptedException {
        queue.launch(new Named("a"));
        queue.launch(new Named("b"));
        SyncPoint first = queue.record();
        queue.launch(new Named("c"));
        SyncPoint second = queue.record();
        RuntimeException fault = new IllegalStateException("device fault");
        queue.errors.put(1L, fault);

        assertThat(first.reached()).isTrue();
        assertThat(failed).containsOnlyKeys("a", "b").containsEntry("a", fault);
        assertThat(second.reached()).isFalse();
        queue.reached = true;
        assertThat(second.await()).isTrue();
        assertThat(failed).hasSize(2);
        assertThat(queue.outstanding()).isZero();
        first.close();
        assertThat(log).endsWith("release 1");
    }

    @Test
    void closeDrainsFreesAndTellsOnceThenRefusesCalls() {
        queue.launch(new Named("a"));
        SyncPoint point = queue.record();

        queue.close();
        queue.close();
        point.close();

        assertThat(log).containsExactly("enqueue a", "before close", "drain", "free", "release 1 after close");
        assertThat(queue.closedCalls).isEqualTo(1);
        assertThat(queue.outstanding()).isZero();
        assertThatThrownBy(() -> queue.launch(new Named("b"))).isInstanceOf(IllegalStateException.class)
                .hasMessage("the fake queue was closed");
        assertThatThrownBy(queue::record).hasMessage("the fake queue was closed");
    }

    @Test
    void aWaitGivenUpWhileHeldLeavesThePointValidAndItsCommandsOutstanding() throws InterruptedException {
        queue.launch(new Named("a"));
        SyncPoint point = queue.record();
        queue.held = true;

        assertThat(point.await()).as("given up while held").isFalse();
        assertThat(queue.outstanding()).isEqualTo(1);
        assertThat(failed).isEmpty();
        queue.held = false;
        queue.reached = true;
        assertThat(point.await()).isTrue();
        assertThat(queue.outstanding()).isZero();
    }

    @Test
    void whileOpenRunsUnderTheSharedLockAndAClosedQueueRefusesOrSkips() {
        List<String> ran = new ArrayList<>();
        queue.whileOpen(() -> ran.add("open"), true);
        queue.close();
        queue.whileOpen(() -> ran.add("skipped"), false);

        assertThat(ran).containsExactly("open");
        assertThatThrownBy(() -> queue.whileOpen(() -> ran.add("refused"), true)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the fake queue was closed");
        assertThat(log.stream().filter("before close"::equals)).hasSize(1);
    }
}
