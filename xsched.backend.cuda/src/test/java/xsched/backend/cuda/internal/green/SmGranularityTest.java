package xsched.backend.cuda.internal.green;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import xsched.backend.cuda.internal.green.SmGranularity.Source;

/** Rounding a request to the driver's granularity, and deriving the granularity from splits. */
class SmGranularityTest {
    /** The H200 as its driver 580 reports it: 132 SMs, partitions of at least 8, in steps of 8. */
    private static final SmGranularity H200 = new SmGranularity(132, 8, 8, Source.DRIVER_FIELDS);
    /** The CUDA docs' guideline for sm_8x (an A100: 108 SMs): at least 4, in steps of 2. */
    private static final SmGranularity A100 = new SmGranularity(108, 4, 2, Source.DRIVER_FIELDS);

    @Test
    void aRequestIsRoundedUpToTheAlignmentAndAtLeastTheMinimum() {
        assertThat(List.of(1, 7, 8, 9, 16, 17, 100, 124, 128)).map(H200::reservable)
                .containsExactly(8, 8, 8, 16, 16, 24, 104, 128, 128);
        assertThat(List.of(1, 4, 5, 6, 7, 106)).map(A100::reservable).containsExactly(4, 4, 6, 6, 8, 106);
    }

    @Test
    void aMinimumThatIsNoMultipleOfTheAlignmentStillBoundsSmallRequests() {
        SmGranularity odd = new SmGranularity(10, 3, 2, Source.DRIVER_FIELDS);

        assertThat(List.of(1, 2, 3, 4, 5, 8)).map(odd::reservable).containsExactly(3, 3, 4, 4, 6, 8);
        assertThat(odd.maxReservable()).isEqualTo(8);
    }

    @Test
    void aPartitionMustLeaveAtLeastOneSmToTheComplement() {
        assertThat(H200.maxReservable()).isEqualTo(128);
        assertThat(A100.maxReservable()).isEqualTo(106);
        assertThatThrownBy(() -> H200.reservable(129)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot reserve 129 of 132 SMs: partitions are multiples of 8 SMs, at least 8, so it would "
                        + "take 136 and leave none for the rest; at most 128 can be reserved");
        assertThatThrownBy(() -> A100.reservable(107)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("would take 108").hasMessageContaining("at most 106");
        assertThatThrownBy(() -> H200.reservable(Integer.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("would take 2147483648");
    }

    @Test
    void aDeviceNoLargerThanOnePartitionCannotBeSplit() {
        SmGranularity tiny = new SmGranularity(8, 8, 8, Source.DRIVER_FIELDS);

        assertThat(tiny.maxReservable()).isZero();
        assertThatThrownBy(() -> tiny.reservable(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("none can be reserved");
    }

    @Test
    void requestsBelowOneAreRefused() {
        assertThatThrownBy(() -> H200.reservable(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a partition needs at least 1 SM, not 0");
        assertThatThrownBy(() -> H200.reservable(-8)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theGranularityIsDerivedFromTheGroupsASplitMakes() {
        List<Integer> asked = new ArrayList<>();
        SmGranularity derived = SmGranularity.derive(132, recording(asked, splitting(132, 8, 8)));

        assertThat(derived).isEqualTo(new SmGranularity(132, 8, 8, Source.DERIVED_FROM_SPLIT));
        assertThat(asked).containsExactly(1, 9);
        assertThat(SmGranularity.derive(108, splitting(108, 4, 2)))
                .isEqualTo(new SmGranularity(108, 4, 2, Source.DERIVED_FROM_SPLIT));
        assertThat(SmGranularity.derive(80, splitting(80, 2, 2)))
                .isEqualTo(new SmGranularity(80, 2, 2, Source.DERIVED_FROM_SPLIT));
    }

    @Test
    void withoutASecondGroupToMeasureTheAlignmentIsTheMinimum() {
        assertThat(SmGranularity.derive(8, splitting(8, 8, 8))).isEqualTo(new SmGranularity(8, 8, 8, Source.DERIVED_FROM_SPLIT));
        assertThat(SmGranularity.derive(12, splitting(12, 8, 8))).isEqualTo(new SmGranularity(12, 8, 8, Source.DERIVED_FROM_SPLIT));
    }

    @Test
    void aSplitThatMakesNoGroupAtAllIsAnError() {
        assertThatThrownBy(() -> SmGranularity.derive(132, minCount -> 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("made no group");
    }

    @Test
    void theNumbersMustBePositive() {
        assertThatThrownBy(() -> new SmGranularity(0, 8, 8, Source.DRIVER_FIELDS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SmGranularity(132, 0, 8, Source.DRIVER_FIELDS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SmGranularity(132, 8, 0, Source.DRIVER_FIELDS)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A driver's split as the CUDA docs describe it: a group of minCount rounded up, or none when that exceeds the SMs. */
    private static IntUnaryOperator splitting(int sms, int min, int alignment) {
        return minCount -> {
            int group = Math.max(min, (minCount + alignment - 1) / alignment * alignment);
            return group <= sms ? group : 0;
        };
    }

    private static IntUnaryOperator recording(List<Integer> asked, IntUnaryOperator split) {
        return minCount -> {
            asked.add(minCount);
            return split.applyAsInt(minCount);
        };
    }
}
