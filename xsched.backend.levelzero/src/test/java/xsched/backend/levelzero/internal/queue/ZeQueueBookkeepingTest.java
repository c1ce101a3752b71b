package xsched.backend.levelzero.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xsched.backend.levelzero.FakeDevices;
import xsched.backend.levelzero.MemoryCopy;
import xsched.backend.levelzero.ZeBuffer;
import xsched.backend.levelzero.ZeCommand;
import xsched.backend.levelzero.ZeDevice;
import xsched.backend.levelzero.ZeKernel;
import xsched.backend.levelzero.internal.ze.ZeResults;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.SyncPoint;

/**
 * {@link ZeQueue}'s bookkeeping without a driver: what it appends in which order (a barrier between
 * consecutive commands, an event-signalling barrier and a flush per sync point), which commands a
 * point retires or fails, refusals, synchronize and close. The list and the events are fakes that
 * record the calls.
 */
class ZeQueueBookkeepingTest {
    private final ZeDevice gpu = FakeDevices.gpu("levelzero:0");
    private final FakeSubmission list = new FakeSubmission();
    private final FakeEvents events = new FakeEvents();
    private final List<ZeQueue> closed = new ArrayList<>();
    private ZeQueue queue;
    private ZeBuffer a;
    private ZeBuffer b;

    @BeforeEach
    void open() {
        queue = new ZeQueue(gpu, list, events, closed::add);
        a = FakeDevices.buffer(gpu, ZeBuffer.Kind.DEVICE, 1024);
        b = FakeDevices.buffer(gpu, ZeBuffer.Kind.HOST, 1024);
    }

    private MemoryCopy copy(int bytes) {
        MemoryCopy c = MemoryCopy.of(a, 0, b, 0, bytes);
        queue.accept(c);
        return c;
    }

    @Test
    void consecutiveCommandsAreSeparatedByABarrierAndAPointSignalsBehindAll() {
        queue.launch(copy(1));
        queue.launch(copy(2));
        SyncPoint first = queue.record();
        queue.launch(copy(3));
        SyncPoint second = queue.record();

        assertThat(list.calls).containsExactly("append copy 1 bytes device→host", "barrier 0", "append copy 2 bytes device→host",
                "barrier 1", "flush", "append copy 3 bytes device→host", "barrier 2", "flush");
        assertThat(first).isNotSameAs(second);
        assertThat(queue.outstanding()).isEqualTo(3);
    }

    @Test
    void aReachedPointRetiresExactlyTheCommandsBeforeIt() throws InterruptedException {
        for (int i = 1; i <= 3; i++) {
            queue.launch(copy(i));
        }
        SyncPoint first = queue.record();
        queue.launch(copy(4));
        queue.launch(copy(5));
        SyncPoint second = queue.record();

        assertThat(first.reached()).isFalse();
        events.signal(1);
        assertThat(first.reached()).isTrue();
        assertThat(queue.outstanding()).isEqualTo(2);
        assertThat(second.await()).isTrue();
        assertThat(queue.outstanding()).isZero();
        assertThat(events.calls).contains("await 2");
    }

    @Test
    void anErrorAtAPointFailsTheCommandsBeforeItOnly() {
        MemoryCopy c1 = copy(1);
        MemoryCopy c2 = copy(2);
        queue.launch(c1);
        queue.launch(c2);
        SyncPoint point = queue.record();
        MemoryCopy c3 = copy(3);
        queue.launch(c3);
        events.status.put(1L, ZeResults.ERROR_DEVICE_LOST);

        assertThat(point.reached()).isTrue();

        assertThat(c1.failure()).hasMessageStartingWith("zeEventQueryStatus failed: ZE_RESULT_ERROR_DEVICE_LOST (0x70000001)");
        assertThat(c2.failure()).isSameAs(c1.failure());
        assertThat(c3.failure()).isNull();
        assertThat(queue.outstanding()).isEqualTo(1);
    }

    @Test
    void aCommandTheDriverRefusesFailsAloneAndTheQueueGoesOn() throws InterruptedException {
        MemoryCopy good = copy(1);
        MemoryCopy bad = copy(2);
        MemoryCopy after = copy(3);
        list.refuse = c -> c == bad;

        queue.launch(good);
        queue.launch(bad);
        queue.launch(after);
        assertThat(queue.record().await()).isTrue();

        assertThat(bad.failure()).hasMessage("zeKernelSetArgumentValue failed: ZE_RESULT_ERROR_INVALID_KERNEL_ARGUMENT_SIZE (0x78000016)");
        assertThat(good.failure()).isNull();
        assertThat(after.failure()).isNull();
        assertThat(list.calls).containsExactly("append copy 1 bytes device→host", "barrier 0",
                "append copy 3 bytes device→host", "barrier 1", "flush");
        assertThat(queue.outstanding()).isZero();
    }

    @Test
    void aPointThatCannotBePlacedFailsItsCommandsAndGivesItsEventBack() {
        MemoryCopy c = copy(1);
        queue.launch(c);
        list.refuseBarriers = true;

        SyncPoint point = queue.record();

        assertThat(point.reached()).isTrue();
        assertThat(c.failure()).hasMessageContaining("zeCommandListAppendBarrier failed: ZE_RESULT_ERROR_OUT_OF_HOST_MEMORY");
        assertThat(events.calls).containsExactly("take 1", "recycle 1");
    }

    @Test
    void foreignTwiceSubmittedAndStaleCommandsAreRefusedAtSubmit() {
        HwCommand foreign = new HwCommand() {
        };
        assertThatThrownBy(() -> queue.accept(foreign)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runs commands built by xsched.backend.levelzero");

        ZeDevice other = FakeDevices.gpu("levelzero:1");
        MemoryCopy elsewhere = MemoryCopy.of(FakeDevices.buffer(other, ZeBuffer.Kind.DEVICE, 8), 0,
                FakeDevices.buffer(other, ZeBuffer.Kind.DEVICE, 8), 0, 8);
        assertThatThrownBy(() -> queue.accept(elsewhere)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was built for levelzero:1 but this queue runs on levelzero:0");

        MemoryCopy once = copy(4);
        assertThatThrownBy(() -> queue.accept(once)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was already submitted");

        MemoryCopy stale = MemoryCopy.of(a, 0, b, 0, 8);
        b.close();
        assertThatThrownBy(() -> queue.accept(stale)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot run").hasMessageContaining("host buffer of 1024 bytes on levelzero:0 was closed");
    }

    @Test
    void aKernelLaunchOfAClosedKernelFailsAtSubmit() {
        ZeKernel k = FakeDevices.kernel(gpu, "scale", 1);
        ZeCommand launch = k.launch(4).groupSize(64).arg(a).build();
        k.close();

        assertThatThrownBy(() -> queue.accept(launch)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kernel 'scale' on levelzero:0 was closed");
    }

    @Test
    void synchronizeSignalsBehindEverythingWaitsAndRetiresAll() {
        queue.launch(copy(1));
        queue.launch(copy(2));

        queue.synchronize();

        assertThat(queue.outstanding()).isZero();
        assertThat(list.calls).endsWith("barrier 1", "flush");
        assertThat(events.calls).containsExactly("take 1", "await 1", "recycle 1");
    }

    @Test
    void aClosedPointGivesItsEventBackAndCloseReleasesEverythingOnce() {
        queue.launch(copy(1));
        SyncPoint point = queue.record();
        point.close();
        point.close();

        queue.close();
        queue.close();

        assertThat(events.calls).containsExactly("take 1", "recycle 1", "take 2", "await 2", "recycle 2", "close");
        assertThat(list.calls).endsWith("barrier 2", "flush", "close");
        assertThat(closed).containsExactly(queue);
        assertThatThrownBy(() -> queue.launch(copy(2))).isInstanceOf(IllegalStateException.class).hasMessageContaining("was closed");
        queue.release(7);
        assertThat(events.calls).doesNotContain("recycle 7");
    }
}
