package xsched.run.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A lane's words as the interposer's wrappers use them: a credit taken, the driver called, the
 * launch counted made. The queue learns only what was made; a close waits for what was taken.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CreditLaneTest {
    private final MemorySegment words = Arena.ofAuto().allocate(CreditLane.WORDS * Long.BYTES, Long.BYTES);
    private final LongAdder stats = new LongAdder();

    /** A wrapper's first step: a credit taken (its driver call is still to come). */
    private void take() {
        words.set(ValueLayout.JAVA_LONG, 0, words.get(ValueLayout.JAVA_LONG, 0) - 1);
    }

    /** A wrapper's last step: its driver call returned. */
    private synchronized void made() {
        words.set(ValueLayout.JAVA_LONG, Long.BYTES, words.get(ValueLayout.JAVA_LONG, Long.BYTES) + 1);
    }

    @Test
    void aPullCountsTheLaunchesMadeNotThoseOnlyTaken() {
        CreditLane lane = new CreditLane(words, stats);
        lane.open(4);
        take();
        made();
        take(); // still in the driver
        assertThat(lane.pull()).isEqualTo(1);
        made();
        assertThat(lane.pull()).isEqualTo(1);
        assertThat(lane.close()).as("both counted already").isZero();
        assertThat(stats.sum()).isEqualTo(2);
    }

    @Test
    void aCloseWaitsForALaunchStillInTheDriver() throws Exception {
        CreditLane lane = new CreditLane(words, stats, TimeUnit.SECONDS.toNanos(60));
        lane.open(2);
        take();
        CountDownLatch closing = new CountDownLatch(1);
        Thread driver = Thread.ofPlatform().start(() -> {
            try {
                closing.await();
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            made();
        });
        closing.countDown();
        assertThat(lane.close()).as("the launch, once its call returned").isEqualTo(1);
        driver.join();
        assertThat(words.get(ValueLayout.JAVA_LONG, 0)).as("no credit left").isZero();
    }

    @Test
    void aLaunchStillInTheDriverAfterThePatienceIsCountedWhenTheQueueNextLooks() {
        CreditLane lane = new CreditLane(words, stats, 0);
        lane.open(3);
        take();
        take();
        made();
        assertThat(lane.close()).isEqualTo(1);
        made();
        assertThat(lane.pull()).isEqualTo(1);
        lane.open(2);
        assertThat(lane.close()).as("none taken").isZero();
        assertThat(stats.sum()).isEqualTo(2);
    }

    @Test
    void aWrapperThatFoundNoCreditLeftTakesNone() {
        CreditLane lane = new CreditLane(words, stats);
        lane.open(1);
        take();
        made();
        take(); // drives the word below zero and goes to the agent: no launch through the lane
        assertThat(lane.close()).isEqualTo(1);
    }

    @Test
    void aMadeWordBehindWhatWasCountedCountsNothing() {
        words.set(ValueLayout.JAVA_LONG, Long.BYTES, 5);
        CreditLane lane = new CreditLane(words, stats);
        words.set(ValueLayout.JAVA_LONG, Long.BYTES, 3); // as if the slot's word had been reset under the lane
        assertThat(lane.pull()).isZero();
        assertThat(stats.sum()).isZero();
    }

    @Test
    void aLaneKeptForTheStreamSinceAnEarlierQueueCountsFromWhereItIs() {
        words.set(ValueLayout.JAVA_LONG, Long.BYTES, 40);
        CreditLane lane = new CreditLane(words, stats);
        lane.open(2);
        take();
        made();
        assertThat(lane.close()).isEqualTo(1);
    }
}
