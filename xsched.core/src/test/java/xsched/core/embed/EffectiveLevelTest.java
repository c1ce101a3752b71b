package xsched.core.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.dto.QueueDTO;
import xsched.backend.host.BlockFunction;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostKernel;

/** The DTO shows how far a stop of a queue reaches while its launched commands run, through the real runtime on the host XPU. */
class EffectiveLevelTest {
    private final HostBackend host = new HostBackend(1, PreemptLevel.INTERRUPT);
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        host.close();
    }

    /** A block that runs until the test lets it go. */
    private BlockFunction heldBlock() {
        return (block, ctx) -> {
            started.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static QueueDTO dto(EmbeddedXsched xsched, XQueue q) {
        return xsched.snapshot().queues.stream().filter(d -> d.id == q.id()).findFirst().orElseThrow();
    }

    @Test
    void aRunningKernelWithoutInterruptPointsCapsALevelThreeQueueAtTwo() throws Exception {
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().backend(host).policy("all", new ResumeEverything()).build()) {
            XQueue q = xsched.createQueue("host:0", QueueOptions.defaults().withName("q"));
            assertThat(q.level()).isEqualTo(PreemptLevel.INTERRUPT);
            QueueDTO idle = dto(xsched, q);
            assertThat(idle.effectiveLevel).isEqualTo(3);
            assertThat(idle.stopsAt).isEqualTo("interrupt");
            assertThat(idle.levelNote).isNull();

            q.submit(HostKernel.of("plain kernel", 1, heldBlock()));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            QueueDTO running = dto(xsched, q);
            assertThat(running.level).isEqualTo(3);
            assertThat(running.effectiveLevel).isEqualTo(2);
            assertThat(running.stopsAt).isEqualTo("part");
            assertThat(running.levelNote).contains("'plain kernel'");

            release.countDown();
            q.awaitAll();
            QueueDTO after = dto(xsched, q);
            assertThat(after.effectiveLevel).as("once the kernel ended").isEqualTo(3);
            assertThat(after.levelNote).isNull();
        }
    }

    @Test
    void anIdempotentKernelKeepsLevelThree() throws Exception {
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().backend(host).policy("all", new ResumeEverything()).build()) {
            XQueue q = xsched.createQueue("host:0", QueueOptions.defaults().withName("q"));
            q.submit(HostKernel.idempotent("idempotent kernel", 1, heldBlock()));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            QueueDTO running = dto(xsched, q);
            assertThat(running.effectiveLevel).isEqualTo(3);
            assertThat(running.stopsAt).isEqualTo("interrupt");
            assertThat(running.levelNote).isNull();
            release.countDown();
            q.awaitAll();
        }
    }

    @Test
    void aLevelOneQueueStopsOnlyLaunching() throws Exception {
        try (EmbeddedXsched xsched = EmbeddedXsched.builder().backend(host).policy("all", new ResumeEverything()).build()) {
            XQueue q = xsched.createQueue("host:0", QueueOptions.defaults().withName("q").withLevel(PreemptLevel.LAUNCH));
            q.submit(HostKernel.idempotent("idempotent kernel", 1, heldBlock()));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            QueueDTO running = dto(xsched, q);
            assertThat(running.level).isEqualTo(1);
            assertThat(running.effectiveLevel).isEqualTo(1);
            assertThat(running.stopsAt).isEqualTo("launch");
            release.countDown();
            q.awaitAll();
        }
    }
}
