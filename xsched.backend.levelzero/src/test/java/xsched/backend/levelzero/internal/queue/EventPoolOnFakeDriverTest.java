package xsched.backend.levelzero.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xsched.backend.levelzero.FakeDriver;
import xsched.backend.levelzero.QueueAccess;
import xsched.backend.levelzero.ZeDevice;
import xsched.backend.levelzero.ZeDeviceType;
import xsched.backend.levelzero.internal.ze.ZeResults;

/**
 * The event pool on the fake driver: an event given back before the device signalled it is not
 * handed out again until it has been signalled (and is then reset), so a late signal never lands
 * on a newer sync point; the pool grows by a block when every event is out.
 */
class EventPoolOnFakeDriverTest {
    @Test
    void anEventGivenBackUnsignalledIsReusedOnlyOnceSignalledAndReset() {
        ZeDevice gpu = FakeDriver.platform(ZeDeviceType.GPU).devices().getFirst();
        EventPool pool = new EventPool(QueueAccess.context(gpu));
        ImmediateSubmission list = new ImmediateSubmission(gpu);
        try {
            long early = pool.take();
            assertThat(pool.status(early)).isEqualTo(ZeResults.NOT_READY);
            pool.recycle(early);
            List<Long> out = new ArrayList<>();
            for (int i = 1; i < EventPool.BLOCK; i++) {
                out.add(pool.take());
            }
            assertThat(out).doesNotContain(early);

            long grown = pool.take();
            assertThat(grown).as("every event out and the early one unsignalled: a new block").isNotEqualTo(early);
            for (int i = 1; i < EventPool.BLOCK; i++) {
                out.add(pool.take());
            }
            list.barrier(early);
            assertThat(pool.await(early)).isEqualTo(ZeResults.SUCCESS);

            long reclaimed = pool.take();
            assertThat(reclaimed).as("signalled now: reused before the pool grows again").isEqualTo(early);
            assertThat(pool.status(reclaimed)).as("reset when reused").isEqualTo(ZeResults.NOT_READY);
        } finally {
            list.close();
            pool.close();
        }
    }
}
