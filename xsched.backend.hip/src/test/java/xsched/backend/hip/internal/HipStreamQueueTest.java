package xsched.backend.hip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import xsched.backend.hip.HipBuffer;
import xsched.backend.hip.HipCommand;
import xsched.backend.hip.HipDevice;
import xsched.backend.hip.HipException;
import xsched.backend.hip.MemorySet;
import xsched.backend.hip.TestObjects;
import xsched.spi.hal.SyncPoint;

/**
 * The level-1 queue's bookkeeping over a fake stream: which commands a sync point retires, which
 * fail and with what, and that every event is destroyed exactly once. The HIP calls themselves are
 * the stream's ({@link NativeStream}); here the test decides what they answer.
 */
class HipStreamQueueTest {
    private final HipDevice gpu = TestObjects.device(0);
    private final HipBuffer buffer = TestObjects.buffer(gpu, 0x4000, 1024);
    private final FakeStream stream = new FakeStream();
    private final List<HipStreamQueue> closedQueues = new ArrayList<>();
    private final HipStreamQueue queue = new HipStreamQueue(gpu, stream, closedQueues::add);

    private MemorySet command() {
        return MemorySet.int8(buffer, 0, (byte) 1, 16);
    }

    private MemorySet submit() {
        MemorySet c = command();
        queue.accept(c);
        queue.launch(c);
        return c;
    }

    @Test
    void aSyncPointRetiresTheCommandsBeforeItWhenItsEventCompletes() {
        MemorySet a = submit();
        MemorySet b = submit();
        SyncPoint point = queue.record();
        MemorySet c = submit();
        assertThat(stream.enqueued).containsExactly(a, b, c);
        assertThat(point.reached()).isFalse();
        assertThat(queue.outstanding()).isEqualTo(3);
        stream.complete(stream.lastEvent());
        assertThat(point.reached()).isTrue();
        assertThat(queue.outstanding()).as("c is behind the point").isEqualTo(1);
        assertThat(List.of(a, b, c)).allMatch(x -> x.failure() == null);
    }

    @Test
    void anErrorReportedForAnEventFailsTheCommandsBeforeIt() {
        MemorySet a = submit();
        SyncPoint first = queue.record();
        MemorySet b = submit();
        SyncPoint second = queue.record();
        stream.complete(stream.events.get(0));
        HipException fault = new HipException("hipEventQuery", 700, "hipErrorIllegalAddress", null);
        stream.fail(stream.events.get(1), fault);
        assertThat(first.reached()).isTrue();
        assertThat(second.reached()).as("an error counts as reached, so the queue moves on").isTrue();
        assertThat(a.failure()).isNull();
        assertThat(b.failure()).isSameAs(fault);
        assertThat(queue.outstanding()).isZero();
    }

    @Test
    void aLaunchTheRuntimeRefusesFailsThatCommandOnly() throws InterruptedException {
        MemorySet a = submit();
        MemorySet bad = command();
        stream.refuse = bad;
        queue.accept(bad);
        queue.launch(bad);
        MemorySet c = submit();
        SyncPoint point = queue.record();
        stream.complete(stream.lastEvent());
        assertThat(point.await()).isTrue();
        assertThat(bad.failure()).isInstanceOf(HipException.class).hasMessageContaining("hipErrorInvalidConfiguration");
        assertThat(a.failure()).isNull();
        assertThat(c.failure()).isNull();
        assertThat(stream.enqueued).containsExactly(a, c);
    }

    @Test
    void anEventThatCannotBeRecordedFailsTheCommandsBeforeIt() {
        MemorySet a = submit();
        stream.recordFailure = new HipException("hipEventRecord", 2, "hipErrorOutOfMemory", null);
        SyncPoint point = queue.record();
        assertThat(point.reached()).isTrue();
        assertThat(a.failure()).isSameAs(stream.recordFailure);
        point.close();
        assertThat(stream.destroyedEvents).isEmpty();
    }

    @Test
    void awaitAndSynchronizeRetireWhatTheyWaitedFor() throws InterruptedException {
        MemorySet a = submit();
        SyncPoint point = queue.record();
        assertThat(point.await()).isTrue();
        assertThat(stream.awaited).containsExactly(stream.lastEvent());
        assertThat(a.failure()).isNull();
        MemorySet b = submit();
        HipException fault = new HipException("hipStreamSynchronize", 719, "hipErrorLaunchFailure", null);
        stream.syncFailure = fault;
        queue.synchronize();
        assertThat(b.failure()).isSameAs(fault);
        assertThat(queue.outstanding()).isZero();
    }

    @Test
    void everyEventIsDestroyedExactlyOnce() {
        submit();
        SyncPoint first = queue.record();
        submit();
        SyncPoint second = queue.record();
        long firstEvent = stream.events.get(0);
        first.close();
        first.close();
        assertThat(stream.destroyedEvents).containsExactly(firstEvent);
        assertThat(queue.liveEvents()).isEqualTo(1);
        queue.close();
        assertThat(stream.destroyedEvents).containsExactlyInAnyOrder(firstEvent, stream.events.get(1));
        assertThat(stream.synchronizations).as("close waits for the work first").isEqualTo(1);
        assertThat(stream.destroyed).isEqualTo(1);
        second.close();
        queue.close();
        assertThat(stream.destroyedEvents).as("no event twice").hasSize(2);
        assertThat(stream.destroyed).isEqualTo(1);
        assertThat(closedQueues).contains(queue);
    }

    @Test
    void aClosedQueueRefusesWork() {
        queue.close();
        assertThatThrownBy(() -> queue.launch(command())).isInstanceOf(IllegalStateException.class)
                .hasMessage("the HIP queue on hip:0 was closed");
        assertThatThrownBy(queue::record).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(queue::synchronize).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCommandForAnotherDeviceNeverReachesTheStream() {
        MemorySet other = MemorySet.int8(TestObjects.buffer(TestObjects.device(1), 0x4000, 16), 0, (byte) 0, 16);
        assertThatThrownBy(() -> queue.launch(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("built for hip:1 but this queue runs on hip:0");
        assertThat(stream.enqueued).isEmpty();
        assertThat(queue.outstanding()).isZero();
    }

    /** A stream whose events complete or fail when the test says. */
    static final class FakeStream implements DeviceStream {
        final List<HipCommand> enqueued = new ArrayList<>();
        final List<Long> events = new ArrayList<>();
        final Set<Long> completed = new HashSet<>();
        final Map<Long, RuntimeException> failed = new HashMap<>();
        final List<Long> awaited = new ArrayList<>();
        final List<Long> destroyedEvents = new ArrayList<>();
        final AtomicInteger next = new AtomicInteger(0x100);
        HipCommand refuse;
        RuntimeException recordFailure;
        RuntimeException syncFailure;
        int synchronizations;
        int destroyed;

        long lastEvent() {
            return events.getLast();
        }

        void complete(long event) {
            completed.add(event);
        }

        void fail(long event, RuntimeException e) {
            failed.put(event, e);
        }

        @Override
        public void enqueue(HipCommand command) {
            if (command == refuse) {
                throw new HipException("hipModuleLaunchKernel", 9, "hipErrorInvalidConfiguration", null);
            }
            enqueued.add(command);
        }

        @Override
        public long recordEvent() {
            if (recordFailure != null) {
                throw recordFailure;
            }
            long event = next.getAndIncrement();
            events.add(event);
            return event;
        }

        @Override
        public boolean eventReached(long event) {
            if (failed.containsKey(event)) {
                throw failed.get(event);
            }
            return completed.contains(event);
        }

        @Override
        public void awaitEvent(long event) {
            awaited.add(event);
            if (failed.containsKey(event)) {
                throw failed.get(event);
            }
        }

        @Override
        public void destroyEvent(long event) {
            assertThat(destroyedEvents).as("event %s destroyed twice", event).doesNotContain(event);
            destroyedEvents.add(event);
        }

        @Override
        public void synchronize() {
            synchronizations++;
            if (syncFailure != null) {
                RuntimeException e = syncFailure;
                syncFailure = null;
                throw e;
            }
        }

        @Override
        public void destroy() {
            destroyed++;
        }
    }
}
