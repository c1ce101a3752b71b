package xsched.backend.cuda.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import xsched.api.DeviceKind;
import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.backend.cuda.CudaGpu;
import xsched.backend.cuda.DeviceBuffer;
import xsched.backend.cuda.Gpus;
import xsched.backend.cuda.QueueAccess;
import xsched.backend.cuda.MemorySet;
import xsched.backend.cuda.RecordingBundleContext;
import xsched.backend.cuda.RecordingBundleContext.Registration;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwQueue;

/** The DS component where a GPU is present: it registers itself and the GPUs, and releases all. */
@Tag("gpu")
class CudaBackendGpuTest {
    /** Per test, so that without a GPU each test is reported as skipped. */
    @BeforeEach
    void requireGpu() {
        Gpus.platform();
    }

    @Test
    void activationRegistersTheBackendAndEachGpuAndDeactivationReleasesThem() throws Exception {
        RecordingBundleContext context = new RecordingBundleContext();
        CudaBackend backend = new CudaBackend();

        backend.activate(context.proxy(), Configs.hostWait("blocking"), Map.of("xsched.platform", "cuda", "xsched.preempt.level.max", 1,
                "component.name", CudaBackend.class.getName()));

        assertThat(backend.registered()).isTrue();
        Registration service = context.registered().getFirst();
        assertThat(service.type()).isEqualTo(Backend.class);
        assertThat(service.service()).isSameAs(backend);
        int level = QueueAccess.gateSupport(Gpus.gpu()) ? 3 : 1;
        assertThat(service.properties()).containsEntry(Backend.PLATFORM, "cuda").containsEntry(Backend.PREEMPT_LEVEL_MAX, level)
                .doesNotContainKey("component.name");
        assertThat(context.registered()).filteredOn(r -> r.type() == CudaGpu.class).extracting(r -> r.properties().get(CudaBackend.DEVICE_ID))
                .contains("cuda:0");
        assertThat(backend.rank()).isGreaterThan(0);
        assertThat(backend.devices()).first().satisfies(d -> {
            assertThat(d.id()).isEqualTo("cuda:0");
            assertThat(d.kind()).isEqualTo(DeviceKind.GPU);
            assertThat(d.maxLevel().number()).isEqualTo(level);
        });
        CudaGpu gpu = (CudaGpu) context.registered().get(1).service();
        gpu.synchronize();
        HwQueue open = backend.open(backend.devices().getFirst());
        assertThat(open).isInstanceOf(level >= 2 ? GatedStreamQueue.class : StreamQueue.class);
        assertThat(backend.describeGates()).startsWith("stream gates on");
        XpuDevice foreign = new XpuDevice("host:0", "host", DeviceKind.CPU, "cpu", PreemptLevel.INTERRUPT);
        assertThatThrownBy(() -> backend.open(foreign)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a GPU of this CUDA backend");

        backend.close();

        assertThat(context.unregistered()).isEqualTo(context.registered().size());
        assertThat(gpu.closed()).isTrue();
        assertThatThrownBy(() -> open.launch(null)).isInstanceOf(RuntimeException.class);
        assertThat(backend.devices()).isEmpty();
        assertThat(Gpus.gpu().closed()).as("the tests' own platform is untouched").isFalse();
        Gpus.gpu().synchronize();
    }

    @Test
    void deactivationRetiresThePlatformSoApplicationBuffersOutliveTheBackend() {
        RecordingBundleContext context = new RecordingBundleContext();
        CudaBackend backend = new CudaBackend();
        backend.activate(context.proxy(), Configs.hostWait("auto"), Map.of());
        CudaGpu gpu = (CudaGpu) context.registered().get(1).service();
        DeviceBuffer kept = gpu.allocate(16);
        kept.upload(new int[] {1, 2, 3, 4});
        HwQueue open = backend.open(backend.devices().getFirst());

        backend.close();

        assertThat(gpu.retired()).isTrue();
        assertThat(gpu.closed()).as("an application buffer is still open").isFalse();
        assertThat(gpu.openResources()).isEqualTo(1);
        assertThatThrownBy(() -> open.launch(MemorySet.int32(kept, 0, 0, 1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was closed");
        assertThatThrownBy(() -> StreamQueue.open(gpu, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to a retired CUDA backend");
        int[] back = new int[4];
        kept.download(back);
        assertThat(back).containsExactly(1, 2, 3, 4);
        kept.close();
        assertThat(gpu.closed()).as("its last application resource is closed").isTrue();
        assertThat(gpu.openResources()).isZero();
        assertThatThrownBy(gpu::synchronize).isInstanceOf(IllegalStateException.class).hasMessageContaining("was released");
    }
}
