package xsched.karaf.compat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompatActivatorTest {
    @Test
    void onlyJava24AndLaterNeedTheWorkaround() {
        assertThat(CompatActivator.isAffected(11)).isFalse();
        assertThat(CompatActivator.isAffected(21)).isFalse();
        assertThat(CompatActivator.isAffected(23)).isFalse();
        assertThat(CompatActivator.isAffected(24)).isTrue();
        assertThat(CompatActivator.isAffected(25)).isTrue();
    }

    @Test
    void startLineSaysTheWorkaroundIsActiveAndWhatItWeaves() {
        assertThat(CompatRuntime.activeLine(25)).contains("Java 25", "workaround active",
                "Subject.getSubject(AccessControlContext)", "JaasHelper.doAs", "Karaf " + KarafTargets.KARAF_VERSION);
    }
}
