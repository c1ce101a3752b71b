package xsched.backend.cuda.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.DeviceBuffer;
import xsched.backend.cuda.FakeGpu;
import xsched.backend.cuda.MemorySet;

/** The event pool and the ledger of launched commands, without a driver. */
class LaunchBookkeepingTest {
    private final CudaGpu gpu = FakeGpu.gpu(0);
    private final DeviceBuffer buffer = FakeGpu.buffer(gpu, 0x1000, 64);

    @Test
    void thePoolReusesEventsInsteadOfCreatingOnePerSyncPoint() {
        AtomicLong next = new AtomicLong(100);
        List<Long> destroyed = new ArrayList<>();
        EventPool pool = new EventPool(next::incrementAndGet, destroyed::add);

        for (int i = 0; i < 10_000; i++) {
            long a = pool.take();
            long b = pool.take();
            pool.give(a);
            pool.give(b);
        }

        assertThat(pool.created()).isEqualTo(2);
        assertThat(pool.idle()).isEqualTo(2);
        long held = pool.take();
        pool.close();
        assertThat(destroyed).containsExactlyInAnyOrder(101L, 102L).contains(held);
        assertThat(pool.created()).isZero();
    }

    @Test
    void closingThePoolDestroysEveryEventOnceEvenWhenOneFails() {
        AtomicLong next = new AtomicLong();
        List<Long> destroyed = new ArrayList<>();
        EventPool pool = new EventPool(next::incrementAndGet, e -> {
            destroyed.add(e);
            if (e == 1) {
                throw new IllegalStateException("cuEventDestroy_v2 failed");
            }
        });
        pool.take();
        pool.take();
        pool.take();

        assertThatThrownBy(pool::close).hasMessage("cuEventDestroy_v2 failed");
        assertThat(destroyed).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aReachedPointRetiresExactlyTheCommandsLaunchedBeforeIt() {
        LaunchLedger ledger = new LaunchLedger();
        List<MemorySet> commands = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            MemorySet c = MemorySet.int8(buffer, 0, (byte) i, 1);
            commands.add(c);
            assertThat(ledger.launched(c)).isEqualTo(i + 1);
        }

        ledger.retire(2, null);
        assertThat(ledger.outstanding()).isEqualTo(3);
        RuntimeException fault = new RuntimeException("cuEventSynchronize failed: CUDA_ERROR_ILLEGAL_ADDRESS (700)");
        ledger.retire(4, fault);
        ledger.retire(4, new RuntimeException("again"));

        assertThat(ledger.outstanding()).isEqualTo(1);
        assertThat(commands.get(0).failure()).isNull();
        assertThat(commands.get(1).failure()).isNull();
        assertThat(commands.get(2).failure()).isSameAs(fault);
        assertThat(commands.get(3).failure()).isSameAs(fault);
        assertThat(commands.get(4).failure()).isNull();
        ledger.retire(ledger.launched(), null);
        assertThat(ledger.outstanding()).isZero();
    }
}
