package xsched.run.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import xsched.backend.cuda.embed.OwnerThread;

/**
 * The application threads' per-thread default streams: each thread that launches on its own has
 * its routes, one per context it launched in ({@link AdoptedStream.Adopter#perThreadStreamKey()}),
 * found without a lock through a thread-local. When a thread that launched has ended, its queues
 * are closed (on a thread of their own, since closing waits for the work it launched) the next
 * time a thread launches on its per-thread stream for the first time.
 */
final class PerThreadStreams {
    /**
     * One application thread's per-thread streams.
     *
     * @param owner  the thread, which makes every operation on them
     * @param routes context → the route of the thread's per-thread stream in it
     */
    record Owned(OwnerThread owner, StreamRoutes routes) {
    }

    private final Set<Owned> all = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Owned> mine = new ThreadLocal<>();

    /** @return the calling thread's per-thread streams, registered now if it had none */
    Owned ofCurrentThread() {
        Owned owned = mine.get();
        if (owned == null) {
            owned = new Owned(OwnerThread.current(), new StreamRoutes());
            mine.set(owned);
            all.add(owned);
            closeEnded();
        }
        return owned;
    }

    /** @return the calling thread's per-thread streams, or null when it never launched on them */
    Owned ofCurrentThreadIfAny() {
        return mine.get();
    }

    /** @return every thread's per-thread stream queues now */
    List<AdoptedStream> adopted() {
        List<AdoptedStream> adopted = new ArrayList<>();
        for (Owned owned : all) {
            adopted.addAll(owned.routes().adopted());
        }
        return adopted;
    }

    /** Closes the queues of threads that have ended: nobody can launch on their streams any more. */
    private void closeEnded() {
        for (Owned owned : all) {
            Thread thread = owned.owner().thread();
            if (!thread.isAlive() && all.remove(owned)) {
                List<AdoptedStream> queues = owned.routes().adopted();
                if (!queues.isEmpty()) {
                    Thread.ofPlatform().daemon().name("xsched-run-close-" + thread.threadId())
                            .start(() -> queues.forEach(q -> q.queue().close()));
                }
            }
        }
    }
}
