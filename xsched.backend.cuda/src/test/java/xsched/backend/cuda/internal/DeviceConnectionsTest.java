package xsched.backend.cuda.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import xsched.backend.cuda.internal.libc.Environment;

class DeviceConnectionsTest {
    @Test
    void anUnsetVariableIsSetToTheWantedValue() {
        assertThat(DeviceConnections.toSet(null, "32")).contains("32");
        assertThat(DeviceConnections.toSet(null, " 16 ")).contains("16");
    }

    @Test
    void aValueTheUserSetIsKept() {
        assertThat(DeviceConnections.toSet("4", "32")).isEmpty();
        assertThat(DeviceConnections.toSet("", "32")).as("set, even if empty").isEmpty();
    }

    @Test
    void noneSetsNothing() {
        assertThat(DeviceConnections.toSet(null, "none")).isEmpty();
        assertThat(DeviceConnections.toSet(null, " ")).isEmpty();
        assertThat(DeviceConnections.toSet(null, null)).isEmpty();
    }

    @Test
    void theEffectiveCountIsWhatTheDriverMakesOfTheValue() {
        assertThat(DeviceConnections.effective(null)).isEqualTo(8);
        assertThat(DeviceConnections.effective("32")).isEqualTo(32);
        assertThat(DeviceConnections.effective(" 16")).isEqualTo(16);
        assertThat(DeviceConnections.effective("64")).isEqualTo(32);
        assertThat(DeviceConnections.effective("0")).isEqualTo(1);
        assertThat(DeviceConnections.effective("many")).isEqualTo(8);
    }

    @Test
    void theCLibraryEnvironmentIsReadAndSetThroughFfm() {
        String name = "XSCHED_TEST_" + ProcessHandle.current().pid();
        assertThat(Environment.get(name)).isEmpty();
        Environment.setIfUnset(name, "a");
        Environment.setIfUnset(name, "b");
        assertThat(Environment.get(name)).as("overwrite = 0").contains("a");
        assertThat(Environment.get("PATH")).isPresent();
    }

    @Test
    void ensureReportsTheCountInEffectAndSetsTheVariableWhereUnset() {
        int inEffect = DeviceConnections.ensure();
        String now = Environment.get(DeviceConnections.VARIABLE).orElse(null);
        assertThat(inEffect).isEqualTo(DeviceConnections.effective(now));
        if (System.getenv(DeviceConnections.VARIABLE) == null) {
            assertThat(now).isEqualTo("32");
        }
        assertThat(DeviceConnections.ensure()).as("once per process").isEqualTo(inEffect);
    }
}
