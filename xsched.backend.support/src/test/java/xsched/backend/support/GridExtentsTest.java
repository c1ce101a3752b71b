package xsched.backend.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GridExtentsTest {
    @Test
    void refusesExtentsBelowOne() {
        GridExtents.check(1, 1, 1);
        assertThatThrownBy(() -> GridExtents.check(4, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("every dimension must be at least 1, not (4, 0, 1)");
    }

    @Test
    void enoughBlocksCoverTheWork() {
        assertThat(GridExtents.blocksCovering(1000, 256)).isEqualTo(4);
        assertThat(GridExtents.blocksCovering(1024, 256)).isEqualTo(4);
        assertThatThrownBy(() -> GridExtents.blocksCovering(0, 256)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("work and per-block size must be positive, not 0 and 256");
        assertThatThrownBy(() -> GridExtents.blocksCovering(1L << 40, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage((1L << 40) + " items need " + (1L << 40) + " blocks of 1, more than a grid holds");
    }

    @Test
    void countsIndexesAndPrints() {
        assertThat(GridExtents.volume(65536, 65536, 2)).isEqualTo(1L << 33);
        assertThat(GridExtents.get(2, 1, 2, 3)).isEqualTo(3);
        assertThatThrownBy(() -> GridExtents.get(3, 1, 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(GridExtents.describe(4, 1, 1)).isEqualTo("(4,1,1)");
    }
}
