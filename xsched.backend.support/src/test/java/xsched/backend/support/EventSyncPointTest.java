package xsched.backend.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventSyncPointTest {
    /** Records what the point asks; answers as told. */
    private static final class Queue implements EventSyncPoint.Events {
        final List<String> calls = new ArrayList<>();
        boolean complete;
        boolean giveUp;

        @Override
        public boolean query(long event, long through) {
            calls.add("query " + event + " " + through);
            return complete;
        }

        @Override
        public boolean await(long event, long through) {
            calls.add("await " + event + " " + through);
            return !giveUp;
        }

        @Override
        public void retire(long through, Throwable failure) {
            calls.add("retire " + through + " " + (failure == null ? "ok" : failure.getMessage()));
        }

        @Override
        public void release(long event) {
            calls.add("release " + event);
        }
    }

    private final Queue queue = new Queue();

    @Test
    void aPointAsksTheQueueUntilReachedThenNoMore() {
        EventSyncPoint point = new EventSyncPoint(queue, 7, 3);

        assertThat(point.reached()).isFalse();
        queue.complete = true;
        assertThat(point.reached()).isTrue();
        assertThat(point.reached()).isTrue();
        assertThat(point.await()).isTrue();

        assertThat(queue.calls).containsExactly("query 7 3", "query 7 3");
    }

    @Test
    void aWaitGivenUpLeavesThePointValid() {
        EventSyncPoint point = new EventSyncPoint(queue, 7, 3);
        queue.giveUp = true;

        assertThat(point.await()).isFalse();
        queue.giveUp = false;
        assertThat(point.await()).isTrue();
        assertThat(point.reached()).isTrue();

        assertThat(queue.calls).containsExactly("await 7 3", "await 7 3");
    }

    @Test
    void closingReleasesTheEventOnce() {
        EventSyncPoint point = new EventSyncPoint(queue, 9, 1);

        point.close();
        point.close();

        assertThat(queue.calls).containsExactly("release 9");
        assertThat(point.event()).isEqualTo(9);
        assertThat(point.through()).isEqualTo(1);
    }

    @Test
    void aFailedPointRetiresItsCommandsAndIsDoneWithoutAnEvent() {
        EventSyncPoint point = EventSyncPoint.failed(queue, 4, new IllegalStateException("record failed"));

        assertThat(point.reached()).isTrue();
        assertThat(point.await()).isTrue();
        point.close();

        assertThat(queue.calls).containsExactly("retire 4 record failed");
        assertThat(point.event()).isZero();
    }
}
