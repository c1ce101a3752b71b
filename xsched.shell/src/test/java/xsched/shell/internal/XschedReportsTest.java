package xsched.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.dto.QueueDTO;
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
    void topValidatesItsArgumentsAtTheirRealWidth() throws Exception {
        TopScreen screen = new TopScreen(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
        assertThat(shell.top(screen, "0")).contains("refreshes must be in 1…2147483647, not 0").contains(XschedReports.TOP_USAGE);
        assertThat(shell.top(screen, "x")).contains("refreshes must be a whole number");
        // 2^32 + 1 refreshes: an (int) cast would run once
        assertThat(shell.top(screen, "4294967297")).contains("refreshes must be in 1…2147483647, not 4294967297");
        assertThat(shell.top(screen, "1", "49")).contains("interval-ms must be in 50…3600000, not 49");
        assertThat(shell.top(screen, "1", "9223372036854775808")).contains("interval-ms must be in 50…3600000, not 9223372036854775808");
        assertThat(shell.top(screen, "1", "50", "7")).contains("too many arguments");
    }

    @Test
    void topPrintsEachRefreshOneAfterAnotherWhenNotOnATerminal() throws Exception {
        runtime.createQueue("host:0", QueueOptions.defaults().withName("infer"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(shell.top(new TopScreen(new PrintStream(bytes, true, StandardCharsets.UTF_8), false), "2", "50")).isNull();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("policy hpf, 1 queue(s), refresh 1/2").contains("refresh 2/2").contains("infer").doesNotContain("\u001b");
    }

    @Test
    void topRedrawsInPlaceOnATerminal() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(shell.top(new TopScreen(new PrintStream(bytes, true, StandardCharsets.UTF_8), true), "3", "50")).isNull();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out.split(Pattern.quote(TopScreen.HOME_AND_CLEAR), -1)).hasSize(4);
        assertThat(out).startsWith(TopScreen.HOME_AND_CLEAR + "xsched top — policy hpf, 0 queue(s), refresh 1/3");
    }

    @Test
    void hintNumbersAreNotWrappedToInt() throws Exception {
        XQueue q = runtime.createQueue("host:0", QueueOptions.defaults());
        String id = String.valueOf(q.id());
        // each value is 2^32 + a valid one: an (int) cast would have accepted it
        assertThat(shell.hint(id, "priority", "4294967306")).startsWith("priority must be in -255…255, not 4294967306")
                .contains("usage: xsched:hint");
        assertThat(shell.hint(id, "utilization", "4294967346")).startsWith("utilization must be in 0…100, not 4294967346");
        assertThat(shell.hint(id, "laxity", "5ms", "4294967297", "10")).startsWith("priority must be in -255…255, not 4294967297");
        assertThat(shell.hint(id, "laxity", "5ms", "1", "4294967297")).startsWith("critical priority must be in -255…255, not 4294967297");
        assertThat(shell.hint("global", "k", "4294967298")).startsWith("k must be in 1…1024, not 4294967298");
        runtime.awaitScheduled();
        assertThat(runtime.snapshot().queues.getFirst().priority).isNotEqualTo(10);
    }

    @Test
    void configNumbersAreNotWrappedToInt() {
        XQueue q = runtime.createQueue("host:0", QueueOptions.defaults());
        String id = String.valueOf(q.id());
        assertThat(shell.config(id, "threshold", "4294967300")).startsWith("threshold must be in 1…2147483647, not 4294967300")
                .contains(XschedReports.CONFIG_USAGE);
        assertThat(shell.config(id, "batch", "4294967298")).startsWith("batch must be in 1…2147483647, not 4294967298");
        assertThat(shell.config(id, "threshold", "0")).startsWith("threshold must be in 1…2147483647, not 0");
        assertThat(q.launchConfig()).isEqualTo(LaunchConfig.DEFAULT);
    }

    @Test
    void echoesWhatTheUserTypedEscaped() {
        XQueue q = runtime.createQueue("host:0", QueueOptions.defaults().withName("\u001b[31mred\u202e"));
        String id = String.valueOf(q.id());
        assertThat(shell.config(id, "\u001b[2J", "1")).startsWith("unknown setting '\\x1b[2J'");
        assertThat(shell.config(id, "level", "\u001b[2J")).startsWith("unknown preempt level '\\x1b[2J'");
        assertThat(shell.policy("set", "\u001b[2J")).contains("no policy named '\\x1b[2J'").doesNotContain("\u001b");
        assertThat(shell.queues()).contains("\\x1b[31mred\\u202e").doesNotContain("\u001b").doesNotContain("\u202e");
    }

    @Test
    void showsTheLevelAStopReachesAndWhatCapsIt() {
        QueueDTO capped = new QueueDTO();
        capped.id = 7;
        capped.level = 3;
        capped.effectiveLevel = 2;
        capped.stopsAt = "command";
        capped.levelNote = "'sgemm<<<132,256>>>' cannot be stopped once it runs";
        QueueDTO full = new QueueDTO();
        full.id = 8;
        full.level = 3;
        full.effectiveLevel = 3;
        full.stopsAt = "interrupt";
        String table = XschedReports.queueTable(List.of(capped, full));
        assertThat(table).contains("Lv3->2 command").contains("Lv3 interrupt")
                .contains("queue 7 level: 'sgemm<<<132,256>>>' cannot be stopped once it runs").doesNotContain("queue 8 level");
    }

    @Test
    void aQueueOnTheHostXpuShowsItsLevel() {
        runtime.createQueue("host:0", QueueOptions.defaults().withName("interruptible"));
        assertThat(shell.queues()).contains("Lv3 interrupt");
    }
}
