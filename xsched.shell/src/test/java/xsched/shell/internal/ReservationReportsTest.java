package xsched.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.backend.host.HostBackend;
import xsched.core.embed.EmbeddedXsched;
import xsched.policy.hpf.HighestPriorityFirst;

/** {@code xsched:hint … reserve}, and partitions in {@code xsched:devices} and {@code xsched:queues}. */
class ReservationReportsTest {
    private HostBackend host;
    private EmbeddedXsched runtime;

    @AfterEach
    void stop() {
        runtime.close();
        host.close();
    }

    private XschedReports start(int workers) {
        host = new HostBackend(1, workers, PreemptLevel.INTERRUPT);
        runtime = EmbeddedXsched.builder().backend(host).policy("hpf", new HighestPriorityFirst()).build();
        return new XschedReports(runtime);
    }

    @Test
    void aReservationIsSetAndTheQueuesPartitionListed() throws InterruptedException {
        XschedReports shell = start(4);
        XQueue fg = runtime.createQueue("host:0", QueueOptions.defaults().withName("fg"));
        XQueue bg = runtime.createQueue("host:0", QueueOptions.defaults().withName("bg"));
        assertThat(shell.devices()).contains("PARTITIONS").contains("4 workers; partitions multiples of 1 workers, at least 1");
        assertThat(shell.hint(String.valueOf(fg.id()), "reserve", "25%")).isEqualTo("ok");
        assertThat(shell.hint(String.valueOf(fg.id()), "priority", "5")).isEqualTo("ok");
        // HPF's default placement is dynamic: the split is made while fg is READY; the reservation shows
        // once the scheduler has taken the hints (on its own thread: wait for that round, not for a time)
        runtime.awaitScheduled();
        assertThat(shell.queues()).contains("RESERVE").contains("PARTITION").contains("25%").contains("whole");
        assertThat(shell.hint(String.valueOf(bg.id()), "reserve", "none")).isEqualTo("ok");
    }

    @Test
    void badReservationsGetAClearMessageAndTheUsage() {
        XschedReports shell = start(4);
        XQueue q = runtime.createQueue("host:0", QueueOptions.defaults());
        String id = String.valueOf(q.id());
        assertThat(shell.hint(id, "reserve", "4")).contains("cannot reserve 4 of 4 workers").contains("at most 3 can be reserved")
                .contains("usage: xsched:hint");
        assertThat(shell.hint(id, "reserve", "100%")).contains("0…99 %");
        assertThat(shell.hint(id, "reserve", "lots")).contains("a number of compute units (16), a share (25%) or none");
        assertThat(shell.hint(id, "reserve", "4294967312")).contains("not '4294967312'");
        assertThat(shell.hint(id, "reserve", "-2")).contains("0…65536 compute units, not -2");
        assertThat(shell.hint("global", "reserve", "2")).contains("applies to a queue or a process");
    }

    @Test
    void aDeviceWithoutPartitionsSaysWhy() {
        XschedReports shell = start(1);
        XQueue q = runtime.createQueue("host:0", QueueOptions.defaults());
        assertThat(shell.devices()).contains("none: host:0 has 1 worker thread");
        assertThat(shell.hint(String.valueOf(q.id()), "reserve", "1")).contains("which has no partitions");
    }
}
