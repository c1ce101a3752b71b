package xsched.backend.cuda.embed;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The application thread that owns a per-thread default stream ({@code CU_STREAM_PER_THREAD}, or
 * the NULL stream through a {@code _ptsz} entry point): the handle means "the calling thread's
 * stream", so an operation on it is only right when that thread makes it. Other threads (an
 * XQueue's launch worker) hand such an operation to the owner, and only while the owner waits for
 * it: the owner opens the hand-off ({@link #expectOperations()}) before it submits a call to its
 * queue, runs what is handed to it while it waits for that call's launch ({@link #runHandedOver()}),
 * and closes it again ({@link #stopExpecting()}) before it returns to the application.
 *
 * <p>Why this cannot deadlock: {@link #run(Runnable)} from another thread either finds the owner
 * expecting operations, and then the owner runs it before it can stop expecting (closing the
 * hand-off fails while an operation is handed over, and the owner runs that operation first), or
 * it fails at once with {@link IllegalStateException}. It never waits for a thread that has gone
 * back to the application. At most one operation is handed over at a time.
 */
public final class OwnerThread {
    /** The hand-off's states besides a handed-over operation. */
    private enum Idle {
        /** The owner is not waiting: operations are refused. */
        CLOSED,
        /** The owner waits for a launch: one operation may be handed over. */
        OPEN
    }

    /** An operation handed to the owner, and how it went. */
    private static final class Operation {
        final Runnable action;
        final Thread from = Thread.currentThread();
        volatile boolean done;
        Throwable failure;

        Operation(Runnable action) {
            this.action = action;
        }

        void runOnOwner() {
            try {
                action.run();
            } catch (Throwable t) {
                failure = t;
            } finally {
                done = true;
                LockSupport.unpark(from);
            }
        }
    }

    private final Thread thread;
    /** {@link Idle#CLOSED}, {@link Idle#OPEN} or the {@link Operation} handed over. */
    private final AtomicReference<Object> handOff = new AtomicReference<>(Idle.CLOSED);

    /** @param thread the owning application thread */
    public OwnerThread(Thread thread) {
        this.thread = Objects.requireNonNull(thread, "thread");
    }

    /** @return the calling thread, as the owner of its per-thread stream */
    public static OwnerThread current() {
        return new OwnerThread(Thread.currentThread());
    }

    /** @return the owning thread */
    public Thread thread() {
        return thread;
    }

    /** @return whether the calling thread is the owner */
    public boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs an operation on the owner's stream: at once when called by the owner, else handed to the
     * owner, which must be waiting for a launch; returns once it ran there.
     *
     * @param operation what to run on the owning thread
     * @throws IllegalStateException when the owner is not waiting for a launch (nothing ran)
     * @throws RuntimeException      what the operation threw, rethrown here
     */
    public void run(Runnable operation) {
        if (isCurrent()) {
            operation.run();
            return;
        }
        Operation handed = new Operation(operation);
        if (!handOff.compareAndSet(Idle.OPEN, handed)) {
            throw new IllegalStateException("thread '" + thread.getName() + "' owns the per-thread stream and is not waiting for "
                    + "a launch on it, so nothing can be launched there from thread '" + Thread.currentThread().getName() + "'");
        }
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (!handed.done) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted(); // the owner runs it whatever happens: wait for it
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        switch (handed.failure) {
            case null -> { }
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException("an operation on the per-thread stream of '" + thread.getName() + "' failed",
                    handed.failure);
        }
    }

    /**
     * On the owner, before it submits a call to its queue: from now on other threads may hand it
     * operations, which it runs while it waits ({@link #runHandedOver()}).
     *
     * @throws IllegalStateException on another thread than the owner
     */
    public void expectOperations() {
        checkOwner();
        handOff.set(Idle.OPEN);
    }

    /**
     * On the owner while it waits: runs the operation handed over, if there is one.
     *
     * @return whether one ran
     */
    public boolean runHandedOver() {
        checkOwner();
        if (handOff.get() instanceof Operation handed && handOff.compareAndSet(handed, Idle.OPEN)) {
            handed.runOnOwner();
            return true;
        }
        return false;
    }

    /** On the owner, before it goes back to the application: runs an operation handed over meanwhile, then refuses more. */
    public void stopExpecting() {
        checkOwner();
        while (!handOff.compareAndSet(Idle.OPEN, Idle.CLOSED) && handOff.get() != Idle.CLOSED) {
            runHandedOver();
        }
    }

    private void checkOwner() {
        if (!isCurrent()) {
            throw new IllegalStateException("only thread '" + thread.getName() + "' waits for launches on its per-thread stream, not '"
                    + Thread.currentThread().getName() + "'");
        }
    }

    @Override
    public String toString() {
        return "thread '" + thread.getName() + "'";
    }
}
