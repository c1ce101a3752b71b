package xsched.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.dto.DeviceDTO;
import xsched.api.dto.QueueDTO;
import xsched.backend.cuda.embed.CudaBackends;
import xsched.core.embed.EmbeddedXsched;
import xsched.policy.hpf.HighestPriorityFirst;

/**
 * SM reservation where green contexts are absent (the fake CUDA device has none, as an older
 * driver or GPU): the device says why it cannot be partitioned, a reservation asked for is refused
 * with that reason, and the queue runs on the whole device, its work done.
 */
@Tag("fake-device")
class PartitionsOnFakeDeviceTest {
    @Test
    @Timeout(120)
    void withoutGreenContextsTheDeviceSaysWhyAndReservedQueuesRunOnTheWholeDevice() throws Exception {
        CudaPlatform platform = FakeCudaDevice.platform();
        try (EmbeddedXsched x = EmbeddedXsched.builder().policy("hpf", HighestPriorityFirst.withPlacement("dynamic", 0))
                .backend(CudaBackends.over(platform)).build();
             CudaMarks marks = new CudaMarks(platform.gpu(0), 10, false)) {
            DeviceDTO device = x.snapshot().devices.stream().filter(d -> d.id.equals("cuda:0")).findFirst().orElseThrow();
            assertThat(device.partitionsUnsupported).as("why cuda:0 cannot be partitioned").isNotBlank();
            assertThat(device.partitions).isNull();
            System.out.println("[fake device] partitions unsupported: " + device.partitionsUnsupported);

            XQueue q = x.createQueue("cuda:0", QueueOptions.defaults().withName("would be reserved"));
            assertThatThrownBy(() -> x.hint(Hint.Reservation.parse(HintTarget.queue(q.id()), "16")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cuda:0, which has no partitions")
                    .hasMessageContaining(device.partitionsUnsupported);
            for (int i = 0; i < 10; i++) {
                q.submit(marks.mark(i));
            }
            q.awaitAll();
            x.reschedule();
            x.awaitScheduled();
            QueueDTO dto = x.snapshot().queues.stream().filter(d -> d.id == q.id()).findFirst().orElseThrow();
            assertThat(dto.partition).as("the partition it runs on").isNull();
            assertThat(marks.counts()).containsOnly(1);
            assertThat(dto.reservation).as("no reservation was taken").isNull();
            q.close();
        }
    }
}
