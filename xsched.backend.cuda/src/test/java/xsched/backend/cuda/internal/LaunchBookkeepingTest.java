package xsched.backend.cuda.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The event pool, without a driver (the ledger of launched commands is tested in xsched.backend.support). */
class LaunchBookkeepingTest {
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
}
