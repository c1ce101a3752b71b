package xsched.backend.cuda.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link CudaGpu}'s retain of its primary context and what was made in it: the xsched-owned
 * hardware queues and the application-owned resources (buffers, modules, events). Decides when
 * the retain is let go, exactly once:
 *
 * <ul>
 *   <li>{@link #close} (the application closes its platform): the queues and then the resources
 *       are closed, and the retain is released;
 *   <li>{@link #retire} (the backend hands over to its successor): the queues are closed; the
 *       resources stay usable and the retain is released when the last of them is closed, or at
 *       once when there are none.
 * </ul>
 *
 * After either, nothing new is made here. The driver call is the {@code release} action; this
 * class never touches the driver, so its rules are tested without a GPU.
 */
public final class PrimaryContextRetain {
    private static final Logger LOG = LoggerFactory.getLogger(PrimaryContextRetain.class);

    private enum State { OPEN, RETIRING, RETIRED, CLOSING, RELEASED }

    private final String gpu;
    private final Runnable release;
    private final Set<AutoCloseable> queues = new HashSet<>();
    private final Set<AutoCloseable> resources = new HashSet<>();
    private State state = State.OPEN;
    private volatile String releasedBecause;

    /**
     * @param gpu     the device id, for messages
     * @param release lets go of the retain; run once, never while this object's lock is held
     */
    public PrimaryContextRetain(String gpu, Runnable release) {
        this.gpu = gpu;
        this.release = release;
    }

    /** @param queue a hardware queue just opened @return it @throws IllegalStateException once retired or closed */
    public synchronized <T extends AutoCloseable> T addQueue(T queue) {
        requireOpen("open a hardware queue");
        queues.add(queue);
        return queue;
    }

    /** @param resource an application resource just made @return it @throws IllegalStateException once retired or closed */
    public synchronized <T extends AutoCloseable> T addResource(T resource) {
        requireOpen("make a buffer, module or event");
        resources.add(resource);
        return resource;
    }

    /**
     * @param what what the caller is about to make, e.g. "allocate memory"
     * @throws IllegalStateException unless the GPU is open: retired or closed GPUs make nothing new
     */
    public synchronized void requireOpen(String what) {
        switch (state) {
            case OPEN -> { }
            case RETIRING, RETIRED -> throw new IllegalStateException("cannot " + what + " on " + gpu
                    + ": it belongs to a retired CUDA backend (the backend was stopped, updated or replaced). Its existing "
                    + "buffers, modules and events stay usable until closed; new ones and new queues come from the "
                    + "CudaGpu of the backend now registered for " + gpu);
            case CLOSING, RELEASED -> throw new IllegalStateException("cannot " + what + " on " + gpu + ": it was released ("
                    + (releasedBecause != null ? releasedBecause : "its CudaPlatform was closed") + ")");
        }
    }

    /** @throws IllegalStateException once the retain was let go: then nothing of this GPU may touch the context */
    public void requireRetained() {
        String why = releasedBecause;
        if (why != null) {
            throw new IllegalStateException("GPU " + gpu + " was released (" + why + ")");
        }
    }

    /** @return whether the retain was let go */
    public boolean released() {
        return releasedBecause != null;
    }

    /** @return whether the GPU was retired or closed: nothing new is made on it */
    public synchronized boolean retired() {
        return state != State.OPEN;
    }

    /** @return application resources still open */
    public synchronized int openResources() {
        return resources.size();
    }

    /** @param closed a queue or resource that was just closed; the last resource of a retired GPU releases the retain */
    public void remove(AutoCloseable closed) {
        boolean last;
        synchronized (this) {
            queues.remove(closed);
            last = resources.remove(closed) && state == State.RETIRED && resources.isEmpty();
            if (last) {
                released("it was retired and the last application resource of the retired backend was closed");
            }
        }
        if (last) {
            release.run();
            LOG.info("{}: primary context released, the last application resource of the retired backend was closed", gpu);
        }
    }

    /**
     * Makes nothing new from now on, closes the open queues with {@code closeQueue} and keeps the
     * retain for the open resources: released now when there are none, else by the {@link
     * #remove} of the last. Only the first call of retire or close acts.
     *
     * @param closeQueue closes one queue; must not throw
     */
    public void retire(Consumer<AutoCloseable> closeQueue) {
        List<AutoCloseable> open;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.RETIRING;
            open = new ArrayList<>(queues);
        }
        closeEach(open, closeQueue);
        int left;
        synchronized (this) {
            if (state != State.RETIRING) {
                return;
            }
            left = resources.size();
            if (left == 0) {
                released("it was retired without application resources");
            } else {
                state = State.RETIRED;
            }
        }
        if (left == 0) {
            release.run();
            LOG.info("{}: primary context released, the retired backend left no application resources", gpu);
        } else {
            LOG.info("{}: retired with {} application resource(s) open; their primary context stays retained until the last "
                    + "is closed", gpu, left);
        }
    }

    /**
     * Makes nothing new from now on, closes the queues, runs {@code afterQueues}, closes the
     * resources and releases the retain unless that already happened. Also closes what a retired
     * GPU still holds. Only the first call of close acts.
     *
     * @param closeEach   closes one queue or resource; must not throw
     * @param afterQueues runs between the queues and the resources, e.g. waits for the device
     */
    public void close(Consumer<AutoCloseable> closeEach, Runnable afterQueues) {
        List<AutoCloseable> open;
        synchronized (this) {
            if (state == State.CLOSING || state == State.RELEASED) {
                return;
            }
            state = State.CLOSING;
            open = new ArrayList<>(queues);
        }
        try {
            closeEach(open, closeEach);
            afterQueues.run();
            synchronized (this) {
                open = new ArrayList<>(resources);
            }
            closeEach(open, closeEach);
        } finally {
            synchronized (this) {
                released("its CudaPlatform was closed");
            }
            release.run();
        }
    }

    private void closeEach(List<AutoCloseable> open, Consumer<AutoCloseable> closer) {
        for (AutoCloseable thing : open) {
            try {
                closer.accept(thing);
            } finally {
                remove(thing);
            }
        }
    }

    /** Lock held: the retain is to be let go now, by the caller, once it has left the lock. */
    private void released(String why) {
        state = State.RELEASED;
        releasedBecause = why;
    }
}
