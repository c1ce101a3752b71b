package xsched.backend.hip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import xsched.spi.hal.HwCommand;

/** What a HIP queue accepts at submit time and at launch time. */
class HipCommandTest {
    private final HipDevice gpu = TestObjects.device(0);
    private final HipBuffer buffer = TestObjects.buffer(gpu, 0x4000, 64);

    @Test
    void aCommandIsSubmittedOnce() {
        MemorySet set = MemorySet.int8(buffer, 0, (byte) 1, 64);
        assertThat(QueueAccess.admit(set, gpu)).isSameAs(set);
        assertThatThrownBy(() -> QueueAccess.admit(set, gpu)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("command 'memset8 64 B on hip:0' was already submitted; build a new one");
    }

    @Test
    void refusesForeignCommandsAndOtherDevices() {
        HwCommand foreign = new HwCommand() {
        };
        assertThatThrownBy(() -> QueueAccess.admit(foreign, gpu)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a HIP queue runs commands built by xsched.backend.hip");
        assertThatThrownBy(() -> QueueAccess.forQueueOn(MemorySet.int8(buffer, 0, (byte) 1, 1), TestObjects.device(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("command 'memset8 1 B on hip:0' was built for hip:0 but this queue runs on hip:1");
    }

    @Test
    void aCommandBuiltWithAnotherObjectOfTheSameDeviceRuns() {
        HipDevice sameGpuOfAnotherPlatform = TestObjects.device(0);
        MemorySet set = MemorySet.int8(buffer, 0, (byte) 1, 1);
        assertThat(QueueAccess.admit(set, sameGpuOfAnotherPlatform)).isSameAs(set);
    }

    @Test
    void refusesACommandWhoseBufferWasClosed() {
        HipBuffer detached = TestObjects.buffer(gpu, 0, 64);
        MemorySet set = MemorySet.int8(detached, 0, (byte) 1, 64);
        try {
            detached.close();
        } catch (RuntimeException noGpuOrNoRuntimeHere) {
            // hipSetDevice fails where there is no GPU (or no runtime); the buffer counts as closed all the same
        }
        assertThat(detached.closed()).isTrue();
        assertThatThrownBy(() -> QueueAccess.admit(set, gpu)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("command 'memset8 64 B on hip:0' cannot run: 64-byte buffer on hip:0 was closed");
        assertThatThrownBy(() -> QueueAccess.checkResources(set)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keepsTheFirstFailure() {
        MemorySet set = MemorySet.int8(buffer, 0, (byte) 1, 1);
        RuntimeException first = new RuntimeException("first");
        QueueAccess.fail(set, first);
        QueueAccess.fail(set, new RuntimeException("second"));
        assertThat(set.failure()).isSameAs(first);
    }
}
