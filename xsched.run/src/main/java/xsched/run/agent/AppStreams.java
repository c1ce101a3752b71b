package xsched.run.agent;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import xsched.api.DirectLane;
import xsched.api.Outcome;
import xsched.api.XQueue;
import xsched.backend.cuda.embed.OwnerThread;

/**
 * The application's streams and their XQueues, and the one rule by which an intercepted call runs:
 * <em>launched before it returns</em>. The call becomes a command of its stream's queue; the
 * application's thread waits until the queue has launched it (at once, on this very thread, when the
 * queue runs and has room; later, while the scheduler holds the queue back) and returns the call's
 * own result. So nothing the application does is ever buffered behind its back: calls that are not
 * intercepted (event records, waits, host functions, synchronizations…) pass straight to the driver
 * and still find everything before them on the stream, in order, and the call's arguments are the
 * application's own memory, valid while it waits — nothing is copied.
 *
 * <p>A thread's per-thread default stream ({@code CU_STREAM_PER_THREAD}, or 0 through a {@code
 * _ptsz} entry point) means "the calling thread's stream": each thread gets a queue of its own over
 * it ({@link PerThreadStreams}), and the thread, while it waits for its call's launch, also runs
 * what that queue hands it to launch on its stream ({@link OwnerThread}), so a call the scheduler
 * held back is launched later on the right stream all the same.
 *
 * <p>A stream that cannot be scheduled (another context's) runs natively; so do a stream being
 * captured into a graph and a call whose queue closed or failed. A call is made exactly once
 * either way.
 */
final class AppStreams {
    /** {@code CU_STREAM_LEGACY}: the legacy NULL stream, named explicitly. */
    static final long LEGACY = 0x1;
    /** {@code CU_STREAM_PER_THREAD}: the calling thread's per-thread default stream. */
    static final long PER_THREAD = 0x2;

    /** How long the settling of a synchronized stream's queue waits for the queue's bookkeeping at most. */
    private static final Duration SETTLE_PATIENCE = Duration.ofMillis(20);
    /** {@code XSCHED_RUN_SETTLE=0} leaves queues to find out by themselves that a synchronized stream's work is done (a diagnostic). */
    private static final boolean SETTLE = !"0".equals(System.getenv("XSCHED_RUN_SETTLE"));
    /**
     * By default, and with {@code XSCHED_RUN_SETTLE=inline}, a synchronized level 1 queue's commands
     * end on the program's thread ({@link XQueue#completedThrough}), with no question to the driver
     * and no other thread woken; {@code XSCHED_RUN_SETTLE=thread} hands the queue to the {@link
     * Settler} instead. Inline, the queue goes IDLE when the program's synchronize returns, so the
     * node daemon's {@code ahpf} sees a job end where it did (on the H200 the spin foreground's jobs,
     * 0.44 ms on the GPU, spanned 0.44 ms at p50 as the daemon saw them inline and 0.55 ms handed
     * over), and no thread is woken: the CUDA-graph ResNet-50 paid +0.7 % inside one process
     * instead of +1.9 % (twelfth session, docs/benchmarks/cuda-h200.md). It was not the default
     * while the relay reported a queue's state rather than its edges: a READY period ended inline
     * before the relay saw it never reached the daemon (protocol version 4 reports it).
     */
    private static final boolean INLINE = inlineSettle(System.getenv("XSCHED_RUN_SETTLE"));

    /** @return whether {@code XSCHED_RUN_SETTLE} asks for the inline settle; an unknown value is said and left out */
    static boolean inlineSettle(String setting) {
        if (setting == null || setting.isEmpty() || setting.equals("inline") || setting.equals("0")) {
            return true;
        }
        if (setting.equals("thread")) {
            return false;
        }
        Say.once("XSCHED_RUN_SETTLE=" + setting + " is not inline, thread or 0; left out (inline)");
        return true;
    }

    /** Whether synchronized level 1 queues end their commands on the program's thread ({@link #INLINE}). */
    private final boolean inline;

    private final AdoptedStream.Adopter adopter;
    private final Lanes lanes;
    private final CallStats stats = new CallStats();
    /** Stream → its {@link AdoptedStream}, or why it runs natively. */
    private final StreamRoutes routes = new StreamRoutes();
    /** Each thread's per-thread default streams. */
    private final PerThreadStreams perThread = new PerThreadStreams();
    /** Settles the queues of synchronized streams off the application's threads. */
    private final Settler settler = new Settler(SETTLE_PATIENCE);

    /** Where the adopted streams' direct lanes are: the interposer's table, or nowhere. */
    interface Lanes {
        /** No stream gets a lane. */
        Lanes NONE = new Lanes() {
            @Override
            public MemorySegment creditsOf(long stream) {
                return MemorySegment.NULL;
            }

            @Override
            public void free(long stream) {
            }
        };

        /**
         * @param stream an application stream (0: the legacy NULL stream)
         * @return its lane's two words ({@link CreditLane}), shared with the interposer; {@link MemorySegment#NULL} when it gets none
         */
        MemorySegment creditsOf(long stream);

        /**
         * Frees a destroyed stream's lane, once its queue has closed it: the word may become
         * another stream's and is not written again.
         *
         * @param stream the stream
         */
        void free(long stream);
    }

    /** Streams without direct lanes: every call comes through a queue. */
    AppStreams(AdoptedStream.Adopter adopter) {
        this(adopter, Lanes.NONE);
    }

    /**
     * @param adopter makes the streams' queues
     * @param lanes   where an adopted stream's direct lane is ({@link DirectLane}): while its queue would
     *                launch at once, the interposer launches without coming here
     */
    AppStreams(AdoptedStream.Adopter adopter, Lanes lanes) {
        this(adopter, lanes, INLINE);
    }

    /**
     * @param inline whether a synchronized level 1 queue ends its commands on the program's thread
     *               rather than through the {@link Settler} ({@code XSCHED_RUN_SETTLE=inline})
     */
    AppStreams(AdoptedStream.Adopter adopter, Lanes lanes, boolean inline) {
        this.adopter = Objects.requireNonNull(adopter, "adopter");
        this.lanes = Objects.requireNonNull(lanes, "lanes");
        this.inline = inline;
    }

    /**
     * Makes one intercepted call through its stream's queue.
     *
     * @param function  the driver function, for messages
     * @param stream    the stream argument as the application passed it
     * @param perThread whether the call came through a per-thread-default-stream variant ({@code _ptsz})
     * @param call      the call with the real driver function
     * @return the call's {@code CUresult}
     */
    int call(String function, long stream, boolean perThread, NativeCall call) {
        if (isPerThread(stream, perThread)) {
            return perThreadCall(function, call);
        }
        long s = routeKey(stream);
        // a stream known to run natively costs no question to the driver; one not seen yet is
        // asked about first, so that a stream being captured is not adopted meanwhile
        StreamRoute route = routes.get(s);
        if (route instanceof StreamRoute.Native || adopter.passThrough(s)) {
            return natively(call);
        }
        if (!((route != null ? route : route(s)) instanceof AdoptedStream adopted)) {
            return natively(call);
        }
        adopted.lane().give(); // taken back for a capture that has ended since
        try {
            return throughQueue(adopted, function, call, routes, s, null);
        } finally {
            adopter.restoreThread();
        }
    }

    /**
     * Submits the call to its stream's queue and waits for its launch; when the queue refuses it
     * (it closed or failed), the stream runs natively from now on and the call is made here.
     *
     * @param routes where the stream's route is kept, under {@code key}: the stream itself, or the
     *               key of the owner's per-thread stream
     * @param owner  the calling thread when it owns the stream (and runs what its queue hands it), else null
     */
    private int throughQueue(AdoptedStream adopted, String function, NativeCall call, StreamRoutes routes, long key, OwnerThread owner) {
        AdoptedStream.Call command = adopted.command(function, call);
        XQueue queue = adopted.queue();
        long seq;
        try {
            seq = queue.submit(command.command());
            stats.queued.increment();
        } catch (RuntimeException e) {
            // the message is built here only: on every call it cost a string per launch
            String what = owner != null ? "the per-thread stream of " + owner : "stream 0x" + Long.toHexString(key);
            Say.once(what + " runs natively from now on: " + e.getMessage());
            routes.put(key, new StreamRoute.Native("its queue ended: " + e.getMessage()));
            return call.callChecked();
        }
        return awaitLaunch(queue, seq, command, call, owner);
    }

    private static boolean isPerThread(long stream, boolean perThreadEntry) {
        return stream == PER_THREAD || (stream == 0 && perThreadEntry);
    }

    /**
     * A call on the calling thread's per-thread default stream, through that thread's queue: the
     * thread accepts operations handed over by its queue from before it submits until it returns,
     * and runs them while it waits.
     */
    private int perThreadCall(String function, NativeCall call) {
        if (adopter.passThrough(PER_THREAD)) {
            return natively(call);
        }
        PerThreadStreams.Owned own = perThread.ofCurrentThread();
        long key = adopter.perThreadStreamKey();
        StreamRoute route = own.routes().get(key);
        if (route == null) {
            route = own.routes().computeIfAbsent(key, k -> adoptPerThread(own.owner()));
        }
        if (!(route instanceof AdoptedStream adopted)) {
            return natively(call);
        }
        OwnerThread owner = own.owner();
        owner.expectOperations();
        try {
            return throughQueue(adopted, function, call, own.routes(), key, owner);
        } finally {
            owner.stopExpecting();
            adopter.restoreThread();
        }
    }

    private StreamRoute adoptPerThread(OwnerThread owner) {
        try {
            return adopter.adoptPerThread(owner);
        } catch (RuntimeException e) {
            String why = "per-thread default streams run natively: " + e.getMessage();
            Say.once(why);
            return new StreamRoute.Native(why);
        }
    }

    private int natively(NativeCall call) {
        stats.natively.increment();
        return call.callChecked();
    }

    /**
     * Waits until the queue launched the command; one that ended unlaunched (dropped, failed before)
     * is made here. {@code owner}: the calling thread owns the stream and runs what its queue hands
     * it meanwhile (null for other streams).
     */
    private int awaitLaunch(XQueue queue, long seq, AdoptedStream.Call command, NativeCall call, OwnerThread owner) {
        int rc = command.result();
        if (rc != AdoptedStream.NOT_LAUNCHED) {
            return rc;
        }
        long waitStart = System.nanoTime();
        try {
            return awaitLaunchSlowly(queue, seq, command, call, owner);
        } finally {
            stats.waited.increment();
            stats.waitNanos.add(System.nanoTime() - waitStart);
        }
    }

    private static int awaitLaunchSlowly(XQueue queue, long seq, AdoptedStream.Call command, NativeCall call, OwnerThread owner) {
        int rc;
        while ((rc = command.result()) == AdoptedStream.NOT_LAUNCHED) {
            if (owner != null && owner.runHandedOver()) {
                continue;
            }
            Outcome outcome;
            try {
                outcome = queue.outcome(seq);
            } catch (RuntimeException e) {
                outcome = Outcome.FAILED;
            }
            if (outcome != null) {
                if (owner != null) {
                    owner.stopExpecting(); // a launch handed over meanwhile runs first: the call is made once
                }
                rc = command.result();
                return rc != AdoptedStream.NOT_LAUNCHED ? rc : call.callChecked();
            }
            LockSupport.parkNanos(1_000_000); // the launch, or an operation handed over, unparks this thread
        }
        return rc;
    }

    /** @return the stream's route, made now if it has none */
    private StreamRoute route(long stream) {
        return routes.computeIfAbsent(stream, s -> {
            try {
                return withLane(adopter.adopt(s), s);
            } catch (RuntimeException e) {
                String why = "stream 0x" + Long.toHexString(s) + " runs natively: " + e.getMessage();
                Say.once(why);
                return new StreamRoute.Native(why);
            }
        });
    }

    private AdoptedStream withLane(AdoptedStream adopted, long stream) {
        MemorySegment credits = lanes.creditsOf(stream);
        if (credits.equals(MemorySegment.NULL)) {
            return adopted;
        }
        StreamLane lane = new StreamLane(adopted.queue(), new CreditLane(credits, stats.direct));
        lane.give();
        return adopted.withLane(lane);
    }

    /** @return the calling thread's queue over its per-thread default stream in its current context, or null */
    private AdoptedStream ownPerThreadStream() {
        PerThreadStreams.Owned own = perThread.ofCurrentThreadIfAny();
        return own != null && own.routes().get(adopter.perThreadStreamKey()) instanceof AdoptedStream adopted ? adopted : null;
    }

    /** @return the key of a stream in {@link #routes}: CU_STREAM_LEGACY is the legacy stream 0 (through a _ptsz entry too) */
    private static long routeKey(long stream) {
        return stream == LEGACY ? 0 : stream;
    }

    /** @return the queue of a stream as the application names it in a call, or null */
    private AdoptedStream queueOf(long stream, boolean perThreadEntry) {
        if (isPerThread(stream, perThreadEntry)) {
            return ownPerThreadStream();
        }
        return routes.get(routeKey(stream)) instanceof AdoptedStream adopted ? adopted : null;
    }

    /**
     * What a synchronize the application is about to make of one stream will cover: the newest
     * command of the stream's queue whose launch has returned ({@link XQueue#launchedThrough}).
     *
     * @param stream    the stream the application synchronizes
     * @param perThread whether the call came through a per-thread-default-stream variant ({@code _ptsz})
     * @return the mark, none when the stream has no queue
     */
    List<SyncMark> beforeStreamSync(long stream, boolean perThread) {
        return queueOf(stream, perThread) instanceof AdoptedStream adopted ? List.of(mark(adopted)) : List.of();
    }

    /** @return what a synchronize the application is about to make of its context covers: a mark per queue */
    List<SyncMark> beforeContextSync() {
        List<SyncMark> marks = new ArrayList<>();
        routes.adopted().forEach(a -> marks.add(mark(a)));
        perThread.adopted().forEach(a -> marks.add(mark(a)));
        return marks;
    }

    private SyncMark mark(AdoptedStream adopted) {
        return new SyncMark(adopted, SETTLE && inline ? adopted.queue().launchedThrough() : -1);
    }

    /**
     * The application's synchronize returned and the driver says the work is done: each marked
     * queue learns it soon, so a periodic job's queue goes IDLE when the job ends. By default the
     * queue is handed to the {@link Settler}, which waits at most {@code patience} for the queue's
     * own bookkeeping off this thread; inline ({@link #INLINE}), a level 1 queue's commands through
     * its mark end now, on this thread and without a question to the driver ({@link
     * XQueue#completedThrough}), and only a queue that cannot take it goes to the settler.
     *
     * @param marks what {@link #beforeStreamSync} or {@link #beforeContextSync} gave
     */
    void synchronizedThrough(List<SyncMark> marks) {
        for (SyncMark mark : marks) {
            XQueue queue = mark.adopted().queue();
            if (!SETTLE || !queue.completedThrough(mark.through())) {
                mark.adopted().lane().count();
                if (SETTLE) {
                    settler.settle(queue, queue.submitted());
                }
            }
        }
    }

    /**
     * A stream's queue and what the application's synchronize covers of it.
     *
     * @param adopted the stream
     * @param through the mark ({@link XQueue#launchedThrough}); -1: none
     */
    record SyncMark(AdoptedStream adopted, long through) {
    }

    /**
     * A capture into a graph is about to begin on a stream: its queue finishes what it launched and
     * records nothing more while the capture goes on (the calls made meanwhile pass through), since
     * an event xsched recorded on a capturing stream and then queried would invalidate the capture.
     *
     * @param stream    the stream
     * @param perThread whether the call came through a per-thread-default-stream variant ({@code _ptsz})
     */
    void beforeCapture(long stream, boolean perThread) {
        try {
            // a settle handed over earlier may record a sync point on any stream, one that joins the capture too
            settler.drain();
            // every lane: a stream that joins the capture through an event wait is captured too,
            // and a launch through its lane would have its queue record a sync point there
            routes.adopted().forEach(a -> a.lane().takeBack());
            if (queueOf(stream, perThread) instanceof AdoptedStream adopted) {
                adopted.queue().awaitAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            adopter.restoreThread();
        }
    }

    /**
     * The application destroys a stream: its queue closes first (waiting for what it launched, and
     * closing its lane), so a new stream that gets the same handle gets a new queue; then its lane
     * is freed, so that streams made and destroyed over a program's life do not fill the
     * interposer's table.
     *
     * @param stream the stream
     */
    void destroyed(long stream) {
        long key = routeKey(stream);
        StreamRoute route = routes.remove(key);
        if (route instanceof AdoptedStream adopted) {
            try {
                adopted.queue().close();
            } finally {
                adopter.restoreThread();
                if (adopted.lane() != StreamLane.NONE) {
                    lanes.free(key); // also when the close failed: the freed word gives no credit
                }
            }
        }
    }

    /** @return what the calls did so far */
    CallStats stats() {
        return stats;
    }

    /** @return how many streams have a queue now, per-thread default streams included */
    int scheduled() {
        return routes.adopted().size() + perThread.adopted().size();
    }
}
