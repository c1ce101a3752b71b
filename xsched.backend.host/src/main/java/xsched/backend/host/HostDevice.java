package xsched.backend.host;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import xsched.api.XpuDevice;
import xsched.spi.hal.HwCommand;

/**
 * One host XPU: a single engine thread executing launched work in launch order across all of the
 * device's queues — like an accelerator with one command processor. A queue whose work sits behind
 * another queue's work waits for it; that is what preemption is for.
 */
final class HostDevice implements AutoCloseable {
    private record Entry(HostQueue owner, Object work) {
    }

    private final XpuDevice description;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    private final Condition engineIdle = lock.newCondition();
    private final ArrayDeque<Entry> fifo = new ArrayDeque<>();
    private Entry running;
    private boolean closed;
    private final Thread engine;

    HostDevice(XpuDevice description) {
        this.description = description;
        this.engine = Thread.ofPlatform().daemon().name("xsched-host-engine-" + description.id()).start(this::run);
    }

    /** @return whether {@code thread} is this device's engine, which runs every queue's work */
    boolean runsOn(Thread thread) {
        return thread == engine;
    }

    XpuDevice description() {
        return description;
    }

    void launch(HostQueue owner, HostCommand command) {
        lock.lock();
        try {
            if (owner.stopRequested()) {
                return;
            }
            enqueueLocked(owner, command);
        } finally {
            lock.unlock();
        }
    }

    void record(HostQueue owner, HostSyncPoint point) {
        lock.lock();
        try {
            if (owner.stopRequested()) {
                point.cancel();
                return;
            }
            enqueueLocked(owner, point);
        } finally {
            lock.unlock();
        }
    }

    private void enqueueLocked(HostQueue owner, Object work) {
        if (closed) {
            throw new IllegalStateException("host device " + description.id() + " is closed");
        }
        fifo.add(new Entry(owner, work));
        workArrived.signal();
    }

    /**
     * Switches the owner's mode and, together with it, takes the owner's waiting work off the
     * device; then waits until none of its work runs. Mode and removal change under one lock so
     * the engine never sees a stopped queue's later work.
     */
    void stop(HostQueue owner, boolean interrupt) {
        lock.lock();
        try {
            owner.stopMode(interrupt);
            for (Iterator<Entry> it = fifo.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.owner() == owner) {
                    it.remove();
                    if (e.work() instanceof HostSyncPoint point) {
                        point.cancel();
                    }
                }
            }
            while (running != null && running.owner() == owner) {
                engineIdle.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Puts the commands of {@code log} that have not completed back on the device, in order. */
    void restart(HostQueue owner, List<HwCommand> log) {
        lock.lock();
        try {
            owner.runMode();
            for (HwCommand command : log) {
                if (command instanceof HostCommand hc && !hc.completed()) {
                    enqueueLocked(owner, hc);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            Entry entry;
            lock.lock();
            try {
                while (fifo.isEmpty() && !closed) {
                    workArrived.awaitUninterruptibly();
                }
                if (fifo.isEmpty()) {
                    return;
                }
                entry = fifo.poll();
                running = entry;
            } finally {
                lock.unlock();
            }
            try {
                switch (entry.work()) {
                    case HostSyncPoint point -> point.reach();
                    case HostCommand command -> command.execute(entry.owner());
                    default -> throw new IllegalStateException("unknown work " + entry.work());
                }
            } finally {
                lock.lock();
                try {
                    running = null;
                    engineIdle.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Runs what was launched, then stops the engine. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            workArrived.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            engine.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
