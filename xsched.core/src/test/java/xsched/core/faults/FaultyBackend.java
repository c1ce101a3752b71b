package xsched.core.faults;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import xsched.api.XpuDevice;
import xsched.backend.host.HostBackend;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwCommand;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * A {@link HostBackend} whose hardware queues throw on demand: {@link #arm} picks an SPI method
 * ({@link Site}), the call count at which it throws (counted over every queue this backend opened,
 * from the moment of arming) and what it throws. A fault fires once; the call that throws does not
 * reach the host queue. Everything else is passed through, so the queues behave like host queues:
 * all three levels, and {@link HwQueue.FreeThreaded} and {@link HwQueue.CommandThreads} as far as
 * the host queue is.
 *
 * <p>{@link FaultyCommand} covers the two command-side methods, {@code beforeLaunch} and
 * {@code failure}; the queues unwrap it before the host queue sees it.
 */
final class FaultyBackend implements Backend, AutoCloseable {
    /** The hardware-queue SPI methods a fault can be injected into. */
    enum Site {
        LAUNCH, RECORD, SYNCHRONIZE, SYNC_AWAIT, SYNC_REACHED, DEACTIVATE, REACTIVATE, INTERRUPT, RESTORE
    }

    /** What is thrown: an unchecked exception or an error. */
    enum Kind {
        RUNTIME_EXCEPTION, ERROR;

        Throwable make(String what) {
            return this == ERROR ? new InjectedError(what) : new InjectedException(what);
        }
    }

    /** An injected exception, recognisable in failure chains. */
    static final class InjectedException extends IllegalStateException {
        InjectedException(String message) {
            super(message);
        }
    }

    /** An injected error, recognisable in failure chains. */
    static final class InjectedError extends Error {
        InjectedError(String message) {
            super(message);
        }
    }

    private record Armed(Site site, long atCall, Kind kind) {
    }

    private final HostBackend host;
    private final Map<Site, AtomicLong> calls = new EnumMap<>(Site.class);
    private final AtomicReference<Armed> armed = new AtomicReference<>();
    private final AtomicReference<Throwable> fired = new AtomicReference<>();
    private final List<Throwable> firedAll = new CopyOnWriteArrayList<>();
    private final CountDownLatch firedLatch = new CountDownLatch(1);

    FaultyBackend(HostBackend host) {
        this.host = host;
        for (Site site : Site.values()) {
            calls.put(site, new AtomicLong());
        }
    }

    /**
     * Makes the {@code nth} call of {@code site} from now on throw a new {@code kind}. Replaces a
     * fault armed before that has not fired.
     */
    void arm(Site site, int nth, Kind kind) {
        if (nth < 1) {
            throw new IllegalArgumentException("nth must be ≥ 1, not " + nth);
        }
        armed.set(new Armed(site, calls.get(site).get() + nth, kind));
    }

    /** Takes back a fault that has not fired. */
    void disarm() {
        armed.set(null);
    }

    /** @return what the last fault armed threw, or null while none has fired */
    Throwable fired() {
        return fired.get();
    }

    /** @return everything this backend's faults threw, oldest first */
    List<Throwable> firedAll() {
        return List.copyOf(firedAll);
    }

    /** Waits at most {@code millis} for the first fault to fire. */
    boolean awaitFired(long millis) throws InterruptedException {
        return firedLatch.await(millis, TimeUnit.MILLISECONDS);
    }

    /** @return how many times {@code site} was called on this backend's queues */
    long calls(Site site) {
        return calls.get(site).get();
    }

    private void enter(Site site) {
        long n = calls.get(site).incrementAndGet();
        Armed a = armed.get();
        if (a != null && a.site() == site && a.atCall() == n && armed.compareAndSet(a, null)) {
            Throwable t = a.kind().make("injected " + a.kind() + " in " + site + " (call " + n + ")");
            fired.set(t);
            firedAll.add(t);
            firedLatch.countDown();
            throw FaultyBackend.<RuntimeException>sneaky(t);
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    @Override
    public String platform() {
        return host.platform();
    }

    @Override
    public List<XpuDevice> devices() {
        return host.devices();
    }

    @Override
    public HwQueue open(XpuDevice device) {
        HwQueue inner = host.open(device);
        if (!(inner instanceof HwQueue.Interruptible interruptible)) {
            throw new IllegalStateException("host queues are interruptible; this one is " + inner.getClass().getName());
        }
        return inner instanceof HwQueue.FreeThreaded ? new FreeThreadedQueue(interruptible) : new FaultyQueue(interruptible);
    }

    @Override
    public int rank() {
        return host.rank();
    }

    /** Closes the host backend (its device engines run what was launched, then stop). */
    @Override
    public void close() {
        host.close();
    }

    @Override
    public String toString() {
        return "FaultyBackend[armed=" + armed.get() + ", fired=" + fired.get() + "]";
    }

    private static HwCommand unwrap(HwCommand command) {
        return command instanceof FaultyCommand f ? f.inner() : command;
    }

    private static List<HwCommand> unwrapLog(List<HwCommand> log) {
        return log.stream().map(FaultyBackend::unwrap).toList();
    }

    /**
     * A host queue with the fault sites in front of its methods. It always offers {@link
     * HwQueue.CommandThreads}; for a host queue without it, it answers false, which is what the
     * core assumes of a queue without it.
     */
    private class FaultyQueue implements HwQueue.Interruptible, HwQueue.CommandThreads {
        private final HwQueue.Interruptible inner;

        FaultyQueue(HwQueue.Interruptible inner) {
            this.inner = inner;
        }

        @Override
        public void accept(HwCommand command) {
            inner.accept(unwrap(command));
        }

        @Override
        public void launch(HwCommand command) {
            enter(Site.LAUNCH);
            inner.launch(unwrap(command));
        }

        @Override
        public SyncPoint record() {
            enter(Site.RECORD);
            return new FaultySyncPoint(inner.record());
        }

        @Override
        public void synchronize() throws InterruptedException {
            enter(Site.SYNCHRONIZE);
            inner.synchronize();
        }

        @Override
        public void deactivate() {
            enter(Site.DEACTIVATE);
            inner.deactivate();
        }

        @Override
        public void reactivate(List<HwCommand> log) {
            enter(Site.REACTIVATE);
            inner.reactivate(unwrapLog(log));
        }

        @Override
        public void interrupt() {
            enter(Site.INTERRUPT);
            inner.interrupt();
        }

        @Override
        public void restore(List<HwCommand> log) {
            enter(Site.RESTORE);
            inner.restore(unwrapLog(log));
        }

        @Override
        public boolean runsCommandsOn(Thread thread) {
            return inner instanceof HwQueue.CommandThreads threads && threads.runsCommandsOn(thread);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** The same, for a host queue that is free-threaded. */
    private final class FreeThreadedQueue extends FaultyQueue implements HwQueue.FreeThreaded {
        FreeThreadedQueue(HwQueue.Interruptible inner) {
            super(inner);
        }
    }

    private final class FaultySyncPoint implements SyncPoint {
        private final SyncPoint inner;

        FaultySyncPoint(SyncPoint inner) {
            this.inner = inner;
        }

        @Override
        public boolean reached() {
            enter(Site.SYNC_REACHED);
            return inner.reached();
        }

        @Override
        public boolean await() throws InterruptedException {
            enter(Site.SYNC_AWAIT);
            return inner.await();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
