package xsched.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.host.HostBackend;
import xsched.core.embed.EmbeddedXsched;
import xsched.policy.hpf.HighestPriorityFirst;

class XschedReportsTest {
    private EmbeddedXsched runtime;
    private HostBackend host;
    private XschedReports shell;

    @BeforeEach
    void start() {
        host = new HostBackend(1, PreemptLevel.INTERRUPT);
        runtime = EmbeddedXsched.builder().backend(host).policy("hpf", new HighestPriorityFirst()).build();
        shell = new XschedReports(runtime);
    }

    @AfterEach
    void stop() {
        runtime.close();
        host.close();
    }

    @Test
    void listsDevicesBackendsAndQueues() {
        XQueue q = runtime.createQueue("host:0", QueueOptions.defaults().withName("infer"));
        assertThat(shell.devices()).contains("host:0").contains("Lv3").contains("CPU");
        assertThat(shell.backends()).contains("host").contains("embedded");
        assertThat(shell.queues()).contains("infer").contains("IDLE").contains("RUN").contains("16/8").contains(String.valueOf(q.id()));
    }

    @Test
    void setsHintsAndReportsThem() throws Exception {
        XQueue q = runtime.createQueue("host:0", QueueOptions.defaults());
        assertThat(shell.hint(String.valueOf(q.id()), "priority", "42")).isEqualTo("ok");
        runtime.awaitScheduled();
        assertThat(runtime.snapshot().queues.getFirst().priority).isEqualTo(42);
        assertThat(shell.hint("pid:" + q.pid(), "utilization", "70")).isEqualTo("ok");
        assertThat(shell.hint("global", "k", "2")).isEqualTo("ok");
        assertThat(shell.hint(String.valueOf(q.id()), "laxity", "5ms", "1", "10")).isEqualTo("ok");
    }

    @Test
    void badHintsGetUsageNotStackTraces() {
        assertThat(shell.hint()).contains("missing arguments").contains("usage: xsched:hint");
        assertThat(shell.hint("abc", "priority", "1")).contains("queue id must be a whole number, not 'abc'");
        assertThat(shell.hint("99", "priority", "1")).contains("no queue 99");
        assertThat(shell.hint("global", "priority", "1")).contains("applies to a queue or a process");
        assertThat(shell.hint("pid:1", "priority", "999")).contains("-255…255");
        assertThat(shell.hint("pid:1", "timeslice", "fast")).contains("duration such as");
        assertThat(shell.hint("pid:1", "k", "2")).contains("global hint");
        assertThat(shell.hint("pid:1", "color", "red")).contains("unknown hint 'color'");
    }

    @Test
    void parsesDurations() {
        assertThat(Arguments.duration("500us", "t")).isEqualTo(Duration.ofNanos(500_000));
        assertThat(Arguments.duration("1.5ms", "t")).isEqualTo(Duration.ofNanos(1_500_000));
        assertThat(Arguments.duration("2s", "t")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Arguments.duration("250", "t")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(HintCommand.parse("global", "timeslice", "10ms")).isEqualTo(new Hint.Timeslice(HintTarget.global(), Duration.ofMillis(10)));
    }

    @Test
    void showsAndSwitchesPolicies() {
        assertThat(shell.policy()).contains("active policy: hpf");
        assertThat(shell.policy("set", "edf")).contains("no policy named 'edf'").contains("installed: hpf");
        assertThat(shell.policy("frobnicate")).startsWith("usage:");
        assertThat(shell.policy("list")).contains("* hpf");
    }

    @Test
    void configuresQueues() {
        XQueue q = runtime.createQueue("host:0", QueueOptions.defaults());
        String id = String.valueOf(q.id());
        assertThat(shell.config(id, "level", "2")).contains("Lv2");
        assertThat(shell.config(id, "threshold", "4")).contains("threshold 4, batch 4");
        assertThat(shell.config(id, "batch", "2")).contains("batch 2");
        assertThat(shell.config(id, "batch", "9")).contains("must not exceed threshold 4");
        assertThat(shell.config(id, "level", "7")).contains("unknown preempt level '7'");
        assertThat(shell.config("77", "level", "1")).contains("no queue 77");
        assertThat(shell.config()).startsWith("usage:");
    }

    @Test
    void topRefreshesAndValidates() throws Exception {
        assertThat(shell.top("0")).startsWith("usage:");
        assertThat(shell.top("x")).contains("refreshes must be a whole number");
        assertThat(shell.top("2", "50")).isNull();
    }
}
