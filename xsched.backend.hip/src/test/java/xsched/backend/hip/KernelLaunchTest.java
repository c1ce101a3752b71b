package xsched.backend.hip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Launch commands built and checked without a GPU: geometry against the device's limits and HIP's,
 * arguments against the kernel's parameters as a real code object's metadata declares them.
 */
class KernelLaunchTest {
    private final HipDevice gpu = TestObjects.device(0);
    private final HipModule module = TestObjects.module(gpu, TestObjects.codeObject("gfx90a"));
    private final HipBuffer x = TestObjects.buffer(gpu, 0x10_0000, 8 * 1024);

    @Test
    void capturesGeometryAndArguments() {
        HipKernel scale = TestObjects.kernel(module, "scale");
        assertThat(scale.parameterSizes()).get().asList().containsExactly(8, 8, 8, 1);
        KernelLaunch launch = scale.launch(Dim3.of(4), Dim3.of(256)).sharedMemory(512)
                .args(KernelArgs.builder().arg(x).arg(2.0).arg(1024L).arg((byte) 3).build()).build();
        assertThat(launch.grid()).isEqualTo(Dim3.of(4));
        assertThat(launch.block()).isEqualTo(Dim3.of(256));
        assertThat(launch.sharedMemBytes()).isEqualTo(512);
        assertThat(launch.args().describe()).isEqualTo("[pointer(8), double(8), long(8), byte(1)]");
        assertThat(launch.describe()).isEqualTo("scale<<<(4,1,1),(256,1,1),512>>>");
        assertThat(launch.device()).isSameAs(gpu);
        assertThat(module.parametersChecked()).isTrue();
        assertThat(module.uncheckedReason()).isEmpty();
    }

    @Test
    void checksArgumentsAgainstTheKernelsParameters() {
        HipKernel mark = TestObjects.kernel(module, "mark");
        assertThatThrownBy(() -> mark.launch(Dim3.of(1), Dim3.of(1), x, x, x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("kernel 'mark' takes 4 parameters")
                .hasMessageContaining("but 3 arguments were given [pointer(8), pointer(8), pointer(8)]");
        assertThatThrownBy(() -> TestObjects.kernel(module, "scale").launch(Dim3.of(1), Dim3.of(64), x, 2.0f, 10L, (byte) 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel 'scale' parameter 1 is by_value(8), 8 bytes, but argument 1 is a 4-byte float");
        assertThat(mark.launch(Dim3.of(1), Dim3.of(1), x, x, x, 7)).isNotNull();
    }

    @Test
    void checksTheBlockAgainstTheDeviceAndTheKernelsLaunchBounds() {
        HipKernel vadd = TestObjects.kernel(module, "vadd");
        assertThatThrownBy(() -> vadd.launch(Dim3.of(1), Dim3.of(32, 32, 2), x, x, x, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a block of (32,32,2) has 2048 threads; the device allows at most 1024");
        HipKernel small = TestObjects.kernel(module, "small");
        assertThat(small.maxThreadsPerBlock()).contains(64);
        assertThat(small.launch(Dim3.of(1), Dim3.of(64), x)).isNotNull();
        assertThatThrownBy(() -> small.launch(Dim3.of(1), Dim3.of(128), x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a block of 128 threads exceeds the kernel's limit of 64");
    }

    @Test
    void checksTheGridAgainstTheDeviceAndHipsThreadLimit() {
        HipKernel vadd = TestObjects.kernel(module, "vadd");
        assertThatThrownBy(() -> vadd.launch(Dim3.of(1, 70_000), Dim3.of(1), x, x, x, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the grid is 70000 blocks in y; the device allows at most 65535");
        assertThatThrownBy(() -> vadd.launch(Dim3.of(Integer.MAX_VALUE), Dim3.of(4), x, x, x, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8589934588 threads in x; HIP launches fewer than 2^32 per dimension");
        assertThat(vadd.launch(Dim3.of(4_194_303), Dim3.of(1024), x, x, x, 1).grid().x()).isEqualTo(4_194_303);
        assertThatThrownBy(() -> Dim3.of(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Dim3.covering(1000, 256)).isEqualTo(Dim3.of(4));
    }

    @Test
    void refusesABufferOfAnotherDevice() {
        HipBuffer elsewhere = TestObjects.buffer(TestObjects.device(1), 0x2000, 64);
        assertThatThrownBy(() -> TestObjects.kernel(module, "small").launch(Dim3.of(1), Dim3.of(1), elsewhere))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel 'small' on hip:0: an argument is a buffer on hip:1");
    }

    @Test
    void aKernelWithoutMetadataIsLaunchedUnchecked() {
        HipModule opaque = TestObjects.module(gpu, "CCOB-not-unpacked".getBytes());
        assertThat(opaque.parametersChecked()).isFalse();
        assertThat(opaque.uncheckedReason()).get().asString().contains("compressed offload bundle");
        HipKernel k = TestObjects.uncheckedKernel(opaque, "anything");
        assertThat(k.parameterSizes()).isEmpty();
        assertThat(k.launch(Dim3.of(1), Dim3.of(1), 1, 2, 3).args().count()).isEqualTo(3);
        assertThatThrownBy(() -> k.launch(Dim3.of(1), Dim3.of(2048)).build()).as("the device's limit still holds")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
