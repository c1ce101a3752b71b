package xsched.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import xsched.api.PreemptLevel;
import xsched.backend.host.HostBackend;
import xsched.core.embed.EmbeddedXsched;
import xsched.policy.hpf.HighestPriorityFirst;

class DemoRunnerTest {
    @Test
    void runsAllThreeModesAndReportsThem() throws Exception {
        HostBackend host = new HostBackend(1, PreemptLevel.INTERRUPT);
        EmbeddedXsched runtime = EmbeddedXsched.builder().backend(host).policy("hpf", new HighestPriorityFirst()).build();
        try {
            DemoRunner runner = new DemoRunner(runtime, host, host.devices().getFirst(), new HostWorkload(), 2, 10);
            DemoRunner.Result alone = runner.standalone();
            DemoRunner.Result nativeBoth = runner.nativeBoth();
            DemoRunner.Result scheduled = runner.withXsched();
            assertThat(List.of(alone, nativeBoth, scheduled)).allSatisfy(r -> assertThat(r.foreground().count()).isEqualTo(10));
            // How much background work fits in the window depends on the machine's load (under HPF the
            // foreground may hold the device for all of it on a busy machine): a rate, never negative.
            assertThat(nativeBoth.backgroundPerSecond()).isNotNegative();
            assertThat(scheduled.backgroundPerSecond()).isNotNegative();
            assertThat(scheduled.mode()).contains("hpf").contains("Lv3");
            String table = DemoReport.table("host:0", "w", alone, List.of(alone, nativeBoth, scheduled));
            assertThat(table).contains("foreground alone").contains("native").contains("xsched hpf");
            assertThat(runtime.queues()).isEmpty();
        } finally {
            runtime.close();
            host.close();
        }
    }
}
