package xsched.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import xsched.backend.cuda.internal.ptx.EntryGuard;

/** What a kernel of a preemptible module says about itself and how its launches are checked, without a GPU. */
class GuardedKernelTest {
    private final CudaGpu gpu = FakeGpu.gpu(0);

    @Test
    void aGuardedKernelsOwnParametersLeaveOutTheTwoItIsLaunchedWithInAddition() {
        CudaKernel k = FakeGpu.guardedKernel(gpu, "scale", new EntryGuard.Lv2("scale", null), 8, 4, 8, 8);

        assertThat(k.guarded()).isTrue();
        assertThat(k.interruptible()).isFalse();
        assertThat(k.unguardedReason()).isEmpty();
        assertThat(k.parameterSizes()).hasValueSatisfying(sizes -> assertThat(sizes).containsExactly(8, 4));
        assertThat(k.launch(Dim3.of(4), Dim3.of(32)).arg(FakeGpu.buffer(gpu, 0x1000, 64)).arg(3).build().args().count()).isEqualTo(2);
        assertThatThrownBy(() -> k.launch(Dim3.of(4), Dim3.of(32)).arg(FakeGpu.buffer(gpu, 0x1000, 64)).arg(3).arg(1L).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 2 parameters");
    }

    @Test
    void eachOutcomeOfTheGuardianShowsOnTheKernel() {
        CudaKernel lv3 = FakeGpu.guardedKernel(gpu, "stencil", new EntryGuard.Lv3("stencil", 2), 8, 8, 8);
        CudaKernel lv2 = FakeGpu.guardedKernel(gpu, "sum", new EntryGuard.Lv2("sum", "accumulates into memory it reads"), 8, 8, 8);
        CudaKernel refused = FakeGpu.guardedKernel(gpu, "coop", new EntryGuard.Refused("coop", "uses grid-wide synchronisation"), 8);
        CudaKernel plain = FakeGpu.kernel(gpu, "plain", 8);

        assertThat(lv3.interruptible()).isTrue();
        assertThat(lv3.guarded()).isTrue();
        assertThat(lv2.unguardedReason()).hasValue("accumulates into memory it reads");
        assertThat(refused.guarded()).isFalse();
        assertThat(refused.unguardedReason()).hasValue("uses grid-wide synchronisation");
        assertThat(refused.parameterSizes()).hasValueSatisfying(sizes -> assertThat(sizes).containsExactly(8));
        assertThat(plain.guarded()).isFalse();
        assertThat(plain.unguardedReason()).isEmpty();
    }

    @Test
    void aGuardedKernelWhoseDriverSizesLackTheTwoPointersIsRefused() {
        assertThatThrownBy(() -> FakeGpu.guardedKernel(gpu, "odd", new EntryGuard.Lv2("odd", null), 8, 4))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("should end with two 8-byte parameters");
    }
}
