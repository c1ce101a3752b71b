package xsched.backend.testkit;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwQueue;
import xsched.spi.hal.SyncPoint;

/**
 * A backend in front of the one under test that watches its queues' launch windows: how many
 * commands the core launched beyond the last sync point it saw reached. The queues it hands out
 * implement the same interfaces as the real ones (capabilities are types), so the core treats them
 * alike. Thread-safe.
 */
final class WindowProbe implements Backend {
    private final Backend backend;
    private long launched;
    private long retired;
    private long maxInFlight;

    WindowProbe(Backend backend) {
        this.backend = backend;
    }

    /** @return the most commands seen launched and not known complete, the one being launched included */
    synchronized long maxInFlight() {
        return maxInFlight;
    }

    /** @return commands launched through the probe */
    synchronized long launched() {
        return launched;
    }

    private synchronized long onLaunch() {
        launched++;
        maxInFlight = Math.max(maxInFlight, launched - retired);
        return launched;
    }

    private synchronized long mark() {
        return launched;
    }

    private synchronized void reached(long through) {
        retired = Math.max(retired, through);
    }

    @Override
    public String platform() {
        return backend.platform();
    }

    @Override
    public List<XpuDevice> devices() {
        return backend.devices();
    }

    @Override
    public int rank() {
        return backend.rank();
    }

    @Override
    public HwQueue open(XpuDevice device) {
        HwQueue queue = backend.open(device);
        Set<Class<?>> types = new LinkedHashSet<>();
        collect(queue.getClass(), types);
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "launch" -> {
                onLaunch();
                yield invoke(queue, method, args);
            }
            case "record" -> {
                long through = mark();
                yield new Point((SyncPoint) invoke(queue, method, args), through);
            }
            case "synchronize" -> {
                long through = mark();
                invoke(queue, method, args);
                reached(through);
                yield null;
            }
            default -> invoke(queue, method, args);
        };
        return (HwQueue) Proxy.newProxyInstance(HwQueue.class.getClassLoader(), types.toArray(Class<?>[]::new), handler);
    }

    private static void collect(Class<?> type, Set<Class<?>> into) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (HwQueue.class.isAssignableFrom(i) && into.add(i)) {
                    collect(i, into);
                }
            }
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** A sync point that tells the probe when it is reached. */
    private final class Point implements SyncPoint {
        private final SyncPoint point;
        private final long through;

        Point(SyncPoint point, long through) {
            this.point = point;
            this.through = through;
        }

        @Override
        public boolean reached() {
            boolean r = point.reached();
            if (r) {
                WindowProbe.this.reached(through);
            }
            return r;
        }

        @Override
        public boolean await() throws InterruptedException {
            boolean r = point.await();
            if (r) {
                WindowProbe.this.reached(through);
            }
            return r;
        }

        @Override
        public void close() {
            point.close();
        }
    }
}
