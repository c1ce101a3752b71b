package xsched.backend.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LaunchSpecTest {
    @Test
    void argumentsGivenWholeReplaceThoseAddedOneByOne() {
        LaunchSpec.Builder<String, String, String> builder = new LaunchSpec.Builder<>("k", "(4,1,1)", "(256,1,1)");
        assertThat(builder.build(() -> "added").args()).isEqualTo("added");

        builder.args("given");
        builder.sharedMemory(512);
        LaunchSpec<String, String, String> spec = builder.build(() -> {
            throw new AssertionError("the arguments added one by one are not built");
        });

        assertThat(spec).isEqualTo(new LaunchSpec<>("k", "(4,1,1)", "(256,1,1)", 512, "given"));
        assertThat(spec.describe("saxpy")).isEqualTo("saxpy<<<(4,1,1),(256,1,1),512>>>");
        assertThat(new LaunchSpec<>("k", "(1,1,1)", "(2,1,1)", 0, "").describe("k")).isEqualTo("k<<<(1,1,1),(2,1,1)>>>");
    }

    @Test
    void refusesNegativeSharedMemoryAndNulls() {
        LaunchSpec.Builder<String, String, String> builder = new LaunchSpec.Builder<>("k", "g", "b");
        assertThatThrownBy(() -> builder.sharedMemory(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shared memory cannot be negative: -1");
        assertThatThrownBy(() -> builder.args(null)).isInstanceOf(NullPointerException.class).hasMessage("args");
        assertThatThrownBy(() -> new LaunchSpec.Builder<>("k", null, "b")).isInstanceOf(NullPointerException.class)
                .hasMessage("grid");
    }
}
