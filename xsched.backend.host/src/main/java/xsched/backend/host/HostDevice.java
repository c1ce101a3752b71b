package xsched.backend.host;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import xsched.api.XpuDevice;
import xsched.spi.hal.HwCommand;

/**
 * One host XPU: {@code workers} engine threads executing launched work in launch order — like an
 * accelerator's command processor in front of its compute units. Each queue's work runs one item
 * at a time, in the queue's order, on a worker its partition allows (every worker when it has
 * none); a worker takes the oldest item it may run. With one worker, work of every queue runs in
 * launch order on that thread, and a queue whose work sits behind another queue's work waits for
 * it; that is what preemption is for.
 */
final class HostDevice implements AutoCloseable {
    private record Entry(HostQueue owner, Object work) {
    }

    private final XpuDevice description;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    private final Condition engineIdle = lock.newCondition();
    private final ArrayDeque<Entry> fifo = new ArrayDeque<>();
    /** Per worker, what it runs now, or null. */
    private final Entry[] running;
    private final List<Thread> engines = new ArrayList<>();
    private boolean closed;

    HostDevice(XpuDevice description, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("a host device needs at least one worker, not " + workers);
        }
        this.description = description;
        this.running = new Entry[workers];
        String name = "xsched-host-engine-" + description.id();
        for (int i = 0; i < workers; i++) {
            int worker = i;
            engines.add(Thread.ofPlatform().daemon().name(workers == 1 ? name : name + "-w" + i).start(() -> run(worker)));
        }
    }

    /** @return whether {@code thread} is one of this device's workers, which run every queue's work */
    boolean runsOn(Thread thread) {
        return engines.contains(thread);
    }

    /** @return the device's worker threads, its compute units */
    int workers() {
        return running.length;
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
        workArrived.signalAll();
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
            while (runs(owner)) {
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

    /** Lock held. */
    private boolean runs(HostQueue owner) {
        for (Entry e : running) {
            if (e != null && e.owner() == owner) {
                return true;
            }
        }
        return false;
    }

    /** Lock held: the oldest entry this worker may run, taken off the fifo; null when none. */
    private Entry takeFor(int worker) {
        for (Iterator<Entry> it = fifo.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            BitSet allowed = e.owner().workers();
            if ((allowed == null || allowed.get(worker)) && !runs(e.owner())) {
                it.remove();
                return e;
            }
        }
        return null;
    }

    private void run(int worker) {
        while (true) {
            Entry entry;
            lock.lock();
            try {
                while ((entry = takeFor(worker)) == null && !(closed && fifo.isEmpty())) {
                    workArrived.awaitUninterruptibly();
                }
                if (entry == null) {
                    return;
                }
                running[worker] = entry;
            } finally {
                lock.unlock();
            }
            try {
                switch (entry.work()) {
                    case HostSyncPoint point -> point.reach();
                    case HostCommand command -> command.execute(entry.owner(), worker);
                    default -> throw new IllegalStateException("unknown work " + entry.work());
                }
            } finally {
                lock.lock();
                try {
                    running[worker] = null;
                    engineIdle.signalAll();
                    // the queue's next item may wait for this one to end, on any of its workers
                    workArrived.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Runs what was launched, then stops the engines. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            workArrived.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread engine : engines) {
            try {
                engine.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
