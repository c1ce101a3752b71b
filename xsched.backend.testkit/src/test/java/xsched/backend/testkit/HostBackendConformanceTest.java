package xsched.backend.testkit;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostKernel;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwCommand;

/**
 * The conformance kit against the host backend at levels 1–3 — the kit's own check, and the
 * host backend's conformance run in CI. (It lives here rather than in xsched.backend.host so the
 * host module needs no test dependency on the kit.)
 */
class HostBackendConformanceTest extends BackendConformance {
    @Override
    protected ConformanceTarget target() {
        return new ConformanceTarget() {
            @Override
            public Backend newBackend() {
                return new HostBackend(1, PreemptLevel.INTERRUPT);
            }

            @Override
            public Marks marks(XpuDevice device, int capacity) {
                return new HostMarks(capacity);
            }
        };
    }

    /** Counters in Java memory; a mark is a one-block host kernel. */
    private static final class HostMarks implements Marks {
        private final AtomicIntegerArray counts;
        private final AtomicIntegerArray order;
        private final AtomicInteger clock = new AtomicInteger();

        HostMarks(int capacity) {
            counts = new AtomicIntegerArray(capacity);
            order = new AtomicIntegerArray(capacity);
        }

        @Override
        public HwCommand mark(int index) {
            return HostKernel.of("mark-" + index, 1, (block, ctx) -> {
                counts.incrementAndGet(index);
                order.set(index, clock.incrementAndGet());
            });
        }

        @Override
        public Optional<HwCommand> failing() {
            return Optional.of(HostKernel.of("bad", 1, (block, ctx) -> {
                throw new IllegalStateException("a bad block");
            }));
        }

        @Override
        public int[] counts() {
            return toArray(counts);
        }

        @Override
        public int[] order() {
            return toArray(order);
        }

        private static int[] toArray(AtomicIntegerArray a) {
            int[] out = new int[a.length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = a.get(i);
            }
            return out;
        }

        @Override
        public void close() {
        }
    }
}
