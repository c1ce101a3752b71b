package xsched.run.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.QueueState;
import xsched.api.XQueue;
import xsched.backend.cuda.embed.OwnerThread;
import xsched.backend.host.HostBackend;
import xsched.backend.host.HostTask;
import xsched.core.embed.EmbeddedXsched;

/**
 * The rule of {@link AppStreams} on the host XPU, with streams stood in for by host queues: every
 * intercepted call is made exactly once, in order, before it returns — held while its queue is
 * suspended, made natively when its stream cannot be scheduled or its queue is gone. Per-thread
 * default streams get a queue per thread ({@link OwnerThreadBackend} stands in for the CUDA
 * backend's), and every call on one is made on its own thread, a held one too.
 */
class AppStreamsTest {
    private HostBackend host;
    private final OwnerThreadBackend owned = new OwnerThreadBackend();
    private EmbeddedXsched xsched;
    private final List<String> made = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<Long, XQueue> queues = new ConcurrentHashMap<>();
    private final AtomicInteger adoptions = new AtomicInteger();
    /** The level of the queues the stand-in adopter makes. */
    private PreemptLevel level = PreemptLevel.LAUNCH;

    @BeforeEach
    void start() {
        host = new HostBackend(1, PreemptLevel.DEACTIVATE); // queues at level 1 unless a test asks for 2
        xsched = EmbeddedXsched.builder().backend(host).backend(owned).manualScheduling().build();
    }

    @AfterEach
    void stop() {
        lasting.forEach(java.util.concurrent.CountDownLatch::countDown); // a failed test leaves no work behind
        xsched.close();
        host.close();
    }

    /** Adopts a stream as a host queue, refusing those the predicate names. */
    private AppStreams streams(LongPredicate refuse) {
        return new AppStreams(adopter(refuse));
    }

    /** Synchronized level 1 queues end their commands on the synchronizing thread (the default; {@code XSCHED_RUN_SETTLE=inline}). */
    private AppStreams inlineStreams() {
        return new AppStreams(adopter(s -> false), AppStreams.Lanes.NONE, true);
    }

    private AdoptedStream.Adopter adopter(LongPredicate refuse) {
        return stream -> {
            adoptions.incrementAndGet();
            if (refuse.test(stream)) {
                throw new IllegalStateException("stream " + stream + " is not ours");
            }
            XQueue queue = xsched.createQueue("host:0", QueueOptions.defaults().withName("stream " + stream).withLaunch(window).withLevel(level));
            queues.put(stream, queue);
            return new AdoptedStream(queue, (function, call) -> {
                int[] result = {AdoptedStream.NOT_LAUNCHED};
                HostTask task = HostTask.of(function, () -> {
                    synchronized (result) {
                        result[0] = call.callChecked();
                    }
                });
                return new AdoptedStream.Call(task, () -> {
                    synchronized (result) {
                        return result[0];
                    }
                });
            });
        };
    }

    private NativeCall recording(String name) {
        return () -> {
            made.add(name);
            return 0;
        };
    }

    @Test
    void everyCallIsMadeOnceInOrderBeforeItReturns() {
        AppStreams streams = streams(s -> false);
        for (int i = 0; i < 200; i++) {
            assertThat(streams.call("cuLaunchKernel", 7, false, recording("k" + i))).isZero();
            assertThat(made).as("made before the call returned").hasSize(i + 1).last().isEqualTo("k" + i);
        }
        assertThat(adoptions).hasValue(1);
        assertThat(queues.get(7L).submitted()).isEqualTo(200);
    }

    @Test
    void theLegacyStreamByEitherNameIsOneQueue() {
        AppStreams streams = streams(s -> false);
        streams.call("cuLaunchKernel", 0, false, recording("a"));
        streams.call("cuLaunchKernel", AppStreams.LEGACY, false, recording("b"));
        assertThat(adoptions).hasValue(1);
        assertThat(queues).containsOnlyKeys(0L);
        assertThat(made).containsExactly("a", "b");
    }

    /** Makes a first call on stream 5, suspends its queue, and makes a second call from another thread, which is held. */
    private CompletableFuture<Integer> heldCall(AppStreams streams) {
        streams.call("cuLaunchKernel", 5, false, recording("first"));
        XQueue queue = queues.get(5L);
        queue.suspend();
        CompletableFuture<Integer> held = CompletableFuture.supplyAsync(() -> streams.call("cuLaunchKernel", 5, false, recording("held")));
        awaitSubmitted(queue, 2);
        return held;
    }

    @Test
    void aSuspendedQueueHoldsTheCallerUntilResumed() throws Exception {
        AppStreams streams = streams(s -> false);
        CompletableFuture<Integer> held = heldCall(streams);
        XQueue queue = queues.get(5L);
        assertThat(held).as("the caller waits while its queue is suspended").isNotDone();
        assertThat(made).containsExactly("first");
        queue.resume();
        assertThat(held.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(made).containsExactly("first", "held");
    }

    @Test
    void aCallDroppedWhileHeldIsMadeNativelyOnce() throws Exception {
        AppStreams streams = streams(s -> false);
        CompletableFuture<Integer> held = heldCall(streams);
        queues.get(5L).resume(true);
        assertThat(held.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(made).containsExactly("first", "held");
    }

    @Test
    void perThreadDefaultStreamsRunNativelyWhereTheAdopterCannotScheduleThem() {
        AppStreams streams = streams(s -> false);
        streams.call("cuLaunchKernel", AppStreams.PER_THREAD, false, recording("explicit"));
        streams.call("cuLaunchKernel_ptsz", 0, true, recording("implicit"));
        assertThat(made).containsExactly("explicit", "implicit");
        assertThat(adoptions).as("never adopted").hasValue(0);
        streams.call("cuLaunchKernel_ptsz", 9, true, recording("named stream"));
        assertThat(adoptions).as("a named stream is the same stream from any thread").hasValue(1);
    }

    @Test
    void aStreamThatCannotBeAdoptedRunsNativelyAndIsAskedOnce() {
        AppStreams streams = streams(s -> s == 3);
        streams.call("cuLaunchKernel", 3, false, recording("a"));
        streams.call("cuLaunchKernel", 3, false, recording("b"));
        assertThat(made).containsExactly("a", "b");
        assertThat(adoptions).hasValue(1);
        assertThat(streams.scheduled()).isZero();
    }

    @Test
    void aStreamBeingCapturedPassesThroughUnadoptedAndANativeStreamIsNotAskedAgain() {
        Set<Long> capturing = ConcurrentHashMap.newKeySet();
        capturing.add(9L);
        List<Long> asked = new CopyOnWriteArrayList<>();
        AdoptedStream.Adopter plain = adopter(s -> s == 3);
        AppStreams streams = new AppStreams(new AdoptedStream.Adopter() {
            @Override
            public AdoptedStream adopt(long stream) {
                return plain.adopt(stream);
            }

            @Override
            public boolean passThrough(long stream) {
                asked.add(stream);
                return capturing.contains(stream);
            }
        });
        streams.call("cuLaunchKernel", 9, false, recording("a"));
        assertThat(adoptions).as("not adopted while captured").hasValue(0);
        capturing.remove(9L);
        streams.call("cuLaunchKernel", 9, false, recording("b"));
        streams.call("cuLaunchKernel", 3, false, recording("c"));
        streams.call("cuLaunchKernel", 3, false, recording("d"));
        assertThat(made).containsExactly("a", "b", "c", "d");
        assertThat(adoptions).hasValue(2);
        assertThat(queues.get(9L).submitted()).isEqualTo(1);
        assertThat(asked).as("a stream known to run natively is not asked about").containsExactly(9L, 9L, 3L);
    }

    @Test
    void aDestroyedStreamsQueueClosesAndTheHandleGetsANewOne() {
        AppStreams streams = streams(s -> false);
        streams.call("cuLaunchKernel", 4, false, recording("a"));
        XQueue first = queues.get(4L);
        streams.destroyed(4);
        assertThat(xsched.queues()).doesNotContain(first);
        streams.call("cuLaunchKernel", 4, false, recording("b"));
        assertThat(adoptions).hasValue(2);
        assertThat(queues.get(4L)).isNotSameAs(first);
        assertThat(made).containsExactly("a", "b");
    }

    @Test
    void aQueueClosedBehindItsBackLeavesItsStreamNative() {
        AppStreams streams = streams(s -> false);
        streams.call("cuLaunchKernel", 6, false, recording("a"));
        queues.get(6L).close();
        streams.call("cuLaunchKernel", 6, false, recording("b"));
        streams.call("cuLaunchKernel", 6, false, recording("c"));
        assertThat(made).containsExactly("a", "b", "c");
        assertThat(adoptions).hasValue(1);
    }

    /** The mark as the agent takes it before a synchronize; again while the queue's worker held the launch token. */
    private static List<AppStreams.SyncMark> marked(java.util.function.Supplier<List<AppStreams.SyncMark>> take) throws InterruptedException {
        List<AppStreams.SyncMark> marks = take.get();
        for (int tries = 0; marks.stream().anyMatch(m -> m.through() < 0) && tries < 5000; tries++) {
            Thread.sleep(1);
            marks = take.get();
        }
        return marks;
    }

    @Test
    void inlineASynchronizedStreamsQueueEndsItsCommandsAtOnceAndUnknownStreamsAreNotAdopted() throws Exception {
        AppStreams streams = inlineStreams();
        for (int i = 0; i < 5; i++) {
            streams.call("cuLaunchKernel", 12, false, recording("k" + i));
        }
        XQueue queue = queues.get(12L);
        // each call was made before it returned: the stream's work is done, as a synchronize would find
        List<AppStreams.SyncMark> marks = marked(() -> streams.beforeStreamSync(12, false));
        assertThat(marks).singleElement().extracting(AppStreams.SyncMark::through).isEqualTo(5L);
        streams.synchronizedThrough(marks);
        assertThat(queue.finished()).as("ended on the synchronizing thread").isEqualTo(5);
        assertThat(queue.state()).isEqualTo(QueueState.IDLE);
        streams.synchronizedThrough(marked(streams::beforeContextSync));
        assertThat(streams.beforeContextSync()).hasSize(1);
        assertThat(streams.beforeStreamSync(99, false)).isEmpty();
        assertThat(adoptions).as("synchronizing adopts nothing").hasValue(1);
    }

    @Test
    void withTheSettlingThreadASynchronizedStreamsQueueIsSettledOffTheSynchronizingThread() throws Exception {
        AppStreams streams = new AppStreams(adopter(s -> false), AppStreams.Lanes.NONE, false); // XSCHED_RUN_SETTLE=thread
        for (int i = 0; i < 3; i++) {
            streams.call("cuLaunchKernel", 14, false, recording("k" + i));
        }
        List<AppStreams.SyncMark> marks = streams.beforeStreamSync(14, false);
        assertThat(marks).singleElement().extracting(AppStreams.SyncMark::through).as("no mark taken").isEqualTo(-1L);
        streams.synchronizedThrough(marks);
        XQueue queue = queues.get(14L);
        for (int tries = 0; queue.state() != QueueState.IDLE && tries < 20_000; tries++) {
            Thread.sleep(1);
        }
        assertThat(queue.finished()).isEqualTo(3);
        assertThat(queue.state()).isEqualTo(QueueState.IDLE);
    }

    @Test
    void aQueueAboveLevelOneIsSettledOffTheSynchronizingThread() throws Exception {
        level = PreemptLevel.DEACTIVATE;
        AppStreams streams = inlineStreams();
        streams.call("cuLaunchKernel", 13, false, recording("k"));
        List<AppStreams.SyncMark> marks = streams.beforeStreamSync(13, false);
        assertThat(marks).singleElement().extracting(AppStreams.SyncMark::through).isEqualTo(-1L);
        streams.synchronizedThrough(marks);
        XQueue queue = queues.get(13L);
        for (int tries = 0; queue.finished() < 1 && tries < 20_000; tries++) {
            Thread.sleep(1);
        }
        assertThat(queue.finished()).as("the settler waited for it").isEqualTo(1);
    }

    // ---- direct lanes ---------------------------------------------------------------------------

    private final ConcurrentHashMap<Long, MemorySegment> credits = new ConcurrentHashMap<>();
    /** The window of the queues the stand-in adopter makes. */
    private LaunchConfig window = LaunchConfig.DEFAULT;

    /** Lanes as the interposer keeps them: a word of credits and one of launches made per stream, which "the interposer" here takes and counts by hand. */
    private AppStreams withLanes() {
        return withLanes(false);
    }

    private AppStreams withLanes(boolean inline) {
        // a wide window: the submissions that open a lane (lastingCall) never fill it
        window = new LaunchConfig(1024, 8);
        return new AppStreams(adopter(s -> false), new AppStreams.Lanes() {
            @Override
            public MemorySegment creditsOf(long stream) {
                return credits.computeIfAbsent(stream, s -> Arena.ofAuto().allocate(CreditLane.WORDS * Long.BYTES, Long.BYTES));
            }

            @Override
            public void free(long stream) {
                MemorySegment word = credits.remove(stream);
                freed.add(stream + " with " + (word == null ? "no lane" : word.get(ValueLayout.JAVA_LONG, 0) + " credits"));
            }
        }, inline);
    }

    /** The lanes freed, in order, and the credits each had left then. */
    private final List<String> freed = new CopyOnWriteArrayList<>();

    private long creditsOf(long stream) {
        return credits.get(stream).get(ValueLayout.JAVA_LONG, 0);
    }

    private final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    private final List<java.util.concurrent.CountDownLatch> lasting = new CopyOnWriteArrayList<>();

    /**
     * A first call on a stream, then work of the queue's own that lasts until {@code until}: the
     * queue stays READY, and its lane open, until then.
     */
    private void lastingCall(AppStreams streams, long stream, String name, java.util.concurrent.CountDownLatch until) {
        lasting.add(until);
        streams.call("cuLaunchKernel", stream, false, recording(name));
        XQueue queue = queues.get(stream);
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger submitted = new AtomicInteger(1);
        lastingRan.put(stream, ran);
        lastingSubmitted.put(stream, submitted);
        queue.submit(HostTask.of("lasting", () -> {
            try {
                until.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.incrementAndGet();
        }));
        // a lane opens at a launch at once; one that found the worker holding the launch token was
        // left to the worker: a later submission (behind the lasting one) opens it, once the worker
        // has launched what was left to it (on a busy machine that may take it a while)
        for (int tries = 0; creditsOf(stream) <= 0 && tries < 20_000; tries++) {
            submitted.incrementAndGet();
            queue.submit(HostTask.of("opener", ran::incrementAndGet));
            if (creditsOf(stream) <= 0) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private final ConcurrentHashMap<Long, AtomicInteger> lastingRan = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, AtomicInteger> lastingSubmitted = new ConcurrentHashMap<>();

    /** Waits until the host device ran the lasting work and the openers of {@link #lastingCall} on a stream. */
    private void awaitLastingRan(long stream) throws InterruptedException {
        for (int tries = 0; lastingRan.get(stream).get() < lastingSubmitted.get(stream).get() && tries < 20_000; tries++) {
            Thread.sleep(1);
        }
        assertThat(lastingRan.get(stream).get()).isEqualTo(lastingSubmitted.get(stream).get());
    }

    /**
     * A first call on stream 7 that opens its lane and lasts until {@link #release}, one launch
     * through the lane, then the release.
     *
     * @return what the stream's queue had submitted before the launch through the lane
     */
    private long oneLaunchThroughTheLane(AppStreams streams) {
        lastingCall(streams, 7, "first", release);
        long before = queues.get(7L).submitted();
        launchThroughTheLane(7);
        release.countDown();
        return before;
    }

    /** What a wrapper does when it launches through the lane: takes one credit, launches, counts the launch made. */
    private void launchThroughTheLane(long stream) {
        MemorySegment word = credits.get(stream);
        long left = word.get(ValueLayout.JAVA_LONG, 0);
        assertThat(left).as("a credit to take").isPositive();
        word.set(ValueLayout.JAVA_LONG, 0, left - 1);
        word.set(ValueLayout.JAVA_LONG, Long.BYTES, word.get(ValueLayout.JAVA_LONG, Long.BYTES) + 1);
    }

    @Test
    void anAdoptedStreamsQueueOpensItsLaneAndCountsTheLaunchesMadeThrough() throws Exception {
        AppStreams streams = withLanes();
        lastingCall(streams, 7, "first", release);
        assertThat(creditsOf(7)).as("the queue launched at once and opened the lane").isPositive();
        long before = queues.get(7L).submitted();
        launchThroughTheLane(7); // one: a lane may open with a single credit when openers filled the window
        release.countDown(); // the stand-in's calls are made when their task runs, in order
        streams.call("cuLaunchKernel", 7, false, recording("after"));
        XQueue queue = queues.get(7L);
        assertThat(queue.submitted()).as("the launch made through the lane are commands of the queue").isEqualTo(before + 2);
        assertThat(streams.stats().direct.sum()).isEqualTo(1);
        assertThat(made).containsExactly("first", "after");
        queue.awaitAll();
        assertThat(queue.finished()).isEqualTo(before + 2);
    }

    @Test
    void aDestroyedStreamsLaneIsFreedClosedAfterItsQueueCountedWhatItMadeAndTheHandleGetsANewOne() throws Exception {
        AppStreams streams = withLanes();
        long before = oneLaunchThroughTheLane(streams);
        XQueue queue = queues.get(7L);
        streams.destroyed(7);
        assertThat(freed).containsExactly("7 with 0 credits");
        assertThat(queue.submitted()).as("what the lane made was counted before the lane went").isEqualTo(before + 1);
        assertThat(queue.finished()).isEqualTo(before + 1);
        streams.destroyed(8); // never adopted: no lane to free
        assertThat(freed).hasSize(1);
        java.util.concurrent.CountDownLatch later = new java.util.concurrent.CountDownLatch(1);
        lastingCall(streams, 7, "again", later);
        assertThat(queues.get(7L)).as("a new queue for the handle").isNotSameAs(queue);
        assertThat(creditsOf(7)).as("and a new lane, open").isPositive();
        later.countDown();
    }

    @Test
    void aCaptureTakesTheLaneBackUntilTheStreamsNextCallThroughItsQueue() throws Exception {
        AppStreams streams = withLanes();
        lastingCall(streams, 7, "first", release);
        long before = queues.get(7L).submitted();
        launchThroughTheLane(7);
        release.countDown();
        streams.beforeCapture(7, false);
        assertThat(creditsOf(7)).as("closed for the capture").isZero();
        XQueue queue = queues.get(7L);
        assertThat(queue.finished()).as("what the lane made ended before the capture").isEqualTo(before + 1);
        java.util.concurrent.CountDownLatch later = new java.util.concurrent.CountDownLatch(1);
        lastingCall(streams, 7, "after", later);
        assertThat(creditsOf(7)).as("given again").isPositive();
        assertThat(streams.stats().direct.sum()).isEqualTo(1);
        later.countDown();
    }

    @Test
    void aSynchronizedStreamsQueueCountsWhatItsLaneMadeAndEndsIt() throws Exception {
        AppStreams streams = withLanes();
        long before = oneLaunchThroughTheLane(streams);
        XQueue queue = queues.get(7L);
        streams.synchronizedThrough(streams.beforeStreamSync(7, false));
        assertThat(queue.submitted()).as("counted at the synchronize").isEqualTo(before + 1);
        assertThat(creditsOf(7)).as("closed until the next launch at once").isZero();
        queue.awaitAll();
        assertThat(queue.finished()).isEqualTo(before + 1);
    }

    @Test
    void inlineASynchronizedStreamsQueueCountsWhatItsLaneMadeAndEndsIt() throws Exception {
        AppStreams streams = withLanes(true);
        long before = oneLaunchThroughTheLane(streams);
        XQueue queue = queues.get(7L);
        awaitLastingRan(7); // the device is done: the synchronize finds its work finished
        List<AppStreams.SyncMark> marks = marked(() -> streams.beforeStreamSync(7, false));
        assertThat(queue.submitted()).as("counted at the mark").isEqualTo(before + 1);
        assertThat(marks.getFirst().through()).isEqualTo(before + 1);
        streams.synchronizedThrough(marks);
        assertThat(queue.finished()).as("ended at once").isEqualTo(before + 1);
        assertThat(queue.state()).isEqualTo(QueueState.IDLE);
        assertThat(creditsOf(7)).as("closed until the next launch at once").isZero();
    }

    @Test
    void aCaptureTakesBackTheLanesOfOtherStreamsToo() throws Exception {
        AppStreams streams = withLanes();
        java.util.concurrent.CountDownLatch other = new java.util.concurrent.CountDownLatch(1);
        lastingCall(streams, 8, "other", other);
        assertThat(creditsOf(8)).isPositive();
        streams.beforeCapture(7, false); // stream 7: never called yet (the stand-in device runs one task at a time)
        assertThat(creditsOf(8)).as("a stream that may join the capture through an event wait").isZero();
        other.countDown();
    }

    @Test
    void aSuspendedQueuesLaneIsClosed() {
        AppStreams streams = withLanes();
        lastingCall(streams, 7, "first", release);
        assertThat(creditsOf(7)).isPositive();
        queues.get(7L).suspend();
        assertThat(creditsOf(7)).isZero();
        queues.get(7L).resume();
        release.countDown();
    }

    @Test
    void theSettleIsInlineUnlessTheSettingAsksForTheThread() {
        assertThat(AppStreams.inlineSettle(null)).isTrue();
        assertThat(AppStreams.inlineSettle("inline")).isTrue();
        assertThat(AppStreams.inlineSettle("thread")).isFalse();
        assertThat(AppStreams.inlineSettle("sometimes")).as("an unknown value is left out").isTrue();
    }

    @Test
    void perThreadStreamsGetNoLane() {
        AppStreams streams = new AppStreams(adopter(s -> false), new AppStreams.Lanes() {
            @Override
            public MemorySegment creditsOf(long stream) {
                throw new AssertionError("asked for the lane of " + stream);
            }

            @Override
            public void free(long stream) {
                throw new AssertionError("freed the lane of " + stream);
            }
        });
        streams.call("cuLaunchKernel", AppStreams.PER_THREAD, false, recording("explicit"));
        streams.call("cuLaunchKernel_ptsz", 0, true, recording("implicit"));
        assertThat(made).containsExactly("explicit", "implicit");
    }

    @Test
    void aFailedCallsResultReachesTheProgram() {
        AppStreams streams = streams(s -> false);
        assertThat(streams.call("cuLaunchKernel", 8, false, () -> 700)).isEqualTo(700);
    }

    // ---- per-thread default streams ------------------------------------------------------------

    private final ConcurrentHashMap<Thread, XQueue> perThreadQueues = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Thread> madeOn = new ConcurrentHashMap<>();

    /** Adopts named streams as host queues and each thread's per-thread stream as a queue of {@link OwnerThreadBackend}. */
    private AppStreams withPerThreadStreams() {
        AdoptedStream.Adopter plain = adopter(s -> false);
        return new AppStreams(new AdoptedStream.Adopter() {
            @Override
            public AdoptedStream adopt(long stream) {
                return plain.adopt(stream);
            }

            @Override
            public AdoptedStream adoptPerThread(OwnerThread owner) {
                assertThat(owner.isCurrent()).as("adopted on the thread it belongs to").isTrue();
                XQueue queue;
                synchronized (owned) {
                    owned.nextOwner(owner);
                    queue = xsched.createQueue(OwnerThreadBackend.DEVICE,
                            QueueOptions.defaults().withName("per-thread stream of " + owner.thread().getName()));
                }
                assertThat(perThreadQueues.put(owner.thread(), queue)).as("one queue per thread").isNull();
                return new AdoptedStream(queue, (function, call) -> {
                    OwnerThreadBackend.Call command = new OwnerThreadBackend.Call(call);
                    return new AdoptedStream.Call(command, command::result);
                });
            }
        });
    }

    /** A call that says which thread made it, and the command it became. */
    private NativeCall onThread(String name) {
        return () -> {
            assertThat(madeOn.putIfAbsent(name, Thread.currentThread())).as(name + " made once").isNull();
            made.add(name);
            return 0;
        };
    }

    private static Thread appThread(String name, Runnable work) {
        return Thread.ofPlatform().name(name).start(work);
    }

    private static void join(Thread thread) throws InterruptedException {
        assertThat(thread.join(java.time.Duration.ofSeconds(30))).as(thread.getName() + " ends").isTrue();
    }

    @Test
    void perThreadCallsGoThroughTheirOwnThreadsQueueByEitherName() {
        AppStreams streams = withPerThreadStreams();
        assertThat(streams.call("cuLaunchKernel", AppStreams.PER_THREAD, false, onThread("explicit"))).isZero();
        assertThat(streams.call("cuLaunchKernel_ptsz", 0, true, onThread("implicit"))).isZero();
        assertThat(streams.call("cuLaunchKernel_ptsz", AppStreams.LEGACY, true, onThread("legacy by name"))).isZero();
        Thread me = Thread.currentThread();
        assertThat(perThreadQueues).containsOnlyKeys(me);
        assertThat(perThreadQueues.get(me).submitted()).isEqualTo(2);
        assertThat(perThreadQueues.get(me).name()).isEqualTo("per-thread stream of " + me.getName());
        assertThat(madeOn).containsOnlyKeys("explicit", "implicit", "legacy by name");
        assertThat(madeOn.get("explicit")).isSameAs(me);
        assertThat(madeOn.get("implicit")).isSameAs(me);
        assertThat(queues).as("CU_STREAM_LEGACY is the legacy stream even through a _ptsz entry").containsOnlyKeys(0L);
        assertThat(streams.scheduled()).isEqualTo(2);
    }

    @Test
    void twoThreadsGetTwoQueuesAndEachCallIsMadeOnItsOwnThread() throws Exception {
        AppStreams streams = withPerThreadStreams();
        Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            String prefix = "t" + t + "-";
            threads[t] = appThread("app-" + t, () -> {
                for (int i = 0; i < 100; i++) {
                    assertThat(streams.call("cuLaunchKernel", AppStreams.PER_THREAD, false, onThread(prefix + i))).isZero();
                }
            });
        }
        for (Thread thread : threads) {
            join(thread);
        }
        assertThat(perThreadQueues).containsOnlyKeys(threads);
        assertThat(perThreadQueues.get(threads[0])).isNotSameAs(perThreadQueues.get(threads[1]));
        for (int t = 0; t < threads.length; t++) {
            assertThat(perThreadQueues.get(threads[t]).submitted()).isEqualTo(100);
            for (int i = 0; i < 100; i++) {
                assertThat(madeOn.get("t" + t + "-" + i)).as("call %d of thread %d", i, t).isSameAs(threads[t]);
            }
        }
        assertThat(xsched.queues()).extracting(XQueue::name).contains("per-thread stream of app-0", "per-thread stream of app-1");
    }

    /** An owner thread whose second call waits in its suspended queue, and what its calls returned. */
    private record HeldCall(Thread app, XQueue queue, List<Integer> results) {
    }

    /**
     * The owner makes a first call, its queue is suspended, and it makes a second one, which waits
     * in the queue (submitted, not launched) when this returns.
     */
    private HeldCall heldPerThreadCall(AppStreams streams) throws InterruptedException {
        var firstMade = new java.util.concurrent.CountDownLatch(1);
        var suspended = new java.util.concurrent.CountDownLatch(1);
        List<Integer> results = new CopyOnWriteArrayList<>();
        Thread app = appThread("app-held", () -> {
            results.add(streams.call("cuLaunchKernel", AppStreams.PER_THREAD, false, onThread("first")));
            firstMade.countDown();
            try {
                suspended.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            results.add(streams.call("cuLaunchKernel", AppStreams.PER_THREAD, false, onThread("held")));
        });
        assertThat(firstMade.await(30, TimeUnit.SECONDS)).isTrue();
        XQueue queue = perThreadQueues.get(app);
        queue.suspend();
        suspended.countDown();
        awaitSubmitted(queue, 2);
        return new HeldCall(app, queue, results);
    }

    @Test
    void aHeldPerThreadCallIsLaunchedLaterByTheWorkerAndMadeOnItsOwnThread() throws Exception {
        HeldCall held = heldPerThreadCall(withPerThreadStreams());
        Thread app = held.app();
        XQueue queue = held.queue();
        List<Integer> results = held.results();
        assertThat(app.isAlive()).as("the owner waits while its queue is suspended").isTrue();
        assertThat(made).containsExactly("first");
        queue.resume();
        join(app);
        assertThat(results).containsExactly(0, 0);
        assertThat(made).containsExactly("first", "held");
        assertThat(madeOn.get("held")).as("made on the owner thread").isSameAs(app);
        assertThat(owned.launchedFrom()).as("the first launched by the owner itself, the held one by the queue's worker")
                .hasSize(2).first().isSameAs(app);
        assertThat(owned.launchedFrom().get(1)).isNotSameAs(app).isNotSameAs(Thread.currentThread());
    }

    @Test
    void aPerThreadCallDroppedWhileHeldIsMadeNativelyOnceOnItsOwnThread() throws Exception {
        HeldCall held = heldPerThreadCall(withPerThreadStreams());
        Thread app = held.app();
        XQueue queue = held.queue();
        List<Integer> results = held.results();
        queue.resume(true);
        join(app);
        assertThat(results).containsExactly(0, 0);
        assertThat(made).containsExactly("first", "held");
        assertThat(madeOn.get("held")).isSameAs(app);
        assertThat(owned.launchedFrom()).as("the dropped call was never launched").hasSize(1);
    }

    @Test
    void theQueueOfAThreadThatEndedClosesWhenAnotherThreadStartsLaunching() throws Exception {
        AppStreams streams = withPerThreadStreams();
        Thread first = appThread("app-first", () -> streams.call("cuLaunchKernel", AppStreams.PER_THREAD, false, onThread("a")));
        join(first);
        XQueue queue = perThreadQueues.get(first);
        assertThat(xsched.queues()).contains(queue);
        join(appThread("app-second", () -> streams.call("cuLaunchKernel", AppStreams.PER_THREAD, false, onThread("b"))));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (xsched.queues().contains(queue) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(xsched.queues()).as("the ended thread's queue is closed").doesNotContain(queue);
        assertThat(xsched.queues()).contains(perThreadQueues.get(perThreadQueues.keySet().stream()
                .filter(t -> t.getName().equals("app-second")).findFirst().orElseThrow()));
        assertThat(made).containsExactly("a", "b");
    }

    /** Waits until {@code queue} has {@code count} commands submitted; fails after 30 s rather than hang. */
    private static void awaitSubmitted(XQueue queue, long count) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (queue.submitted() < count) {
            if (System.nanoTime() > end) {
                throw new AssertionError(queue.name() + " has " + queue.submitted() + " commands submitted after 30 s, not " + count);
            }
            Thread.onSpinWait();
        }
    }
}
