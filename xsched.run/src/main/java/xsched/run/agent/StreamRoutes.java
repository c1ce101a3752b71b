package xsched.run.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Where the calls on each of the application's streams go: stream handle → its {@link StreamRoute}
 * (its {@link AdoptedStream}, or why it runs natively). Read on every intercepted
 * call, so a read takes no lock, boxes no handle and allocates nothing: the routes are an
 * open-addressing table of primitive keys that a change replaces whole (copy on write; streams are
 * added and removed rarely). Changes are made one at a time, a route being made included, so a
 * stream is never routed twice.
 */
final class StreamRoutes {
    /** An immutable table: {@code values[i] == null} marks a free slot (a stream handle may be 0). */
    private record Table(long[] keys, StreamRoute[] values, int size) {
        static Table withCapacity(int capacity) {
            return new Table(new long[capacity], new StreamRoute[capacity], 0);
        }

        StreamRoute get(long stream) {
            int mask = keys.length - 1;
            for (int i = slot(stream, mask); ; i = (i + 1) & mask) {
                StreamRoute value = values[i];
                if (value == null || keys[i] == stream) {
                    return value;
                }
            }
        }

        /** @return a new table with {@code stream} routed to {@code route} (null: not routed); at most half full */
        Table with(long stream, StreamRoute route) {
            int entries = size - (get(stream) == null ? 0 : 1) + (route == null ? 0 : 1);
            int capacity = keys.length;
            while (capacity < 2 * entries) {
                capacity *= 2;
            }
            long[] newKeys = new long[capacity];
            StreamRoute[] newValues = new StreamRoute[capacity];
            for (int i = 0; i < keys.length; i++) {
                if (values[i] != null && keys[i] != stream) {
                    place(newKeys, newValues, keys[i], values[i]);
                }
            }
            if (route != null) {
                place(newKeys, newValues, stream, route);
            }
            return new Table(newKeys, newValues, entries);
        }

        private static void place(long[] keys, StreamRoute[] values, long stream, StreamRoute route) {
            int mask = keys.length - 1;
            int i = slot(stream, mask);
            while (values[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = stream;
            values[i] = route;
        }

        private static int slot(long stream, int mask) {
            return (int) ((stream * 0x9E3779B97F4A7C15L) >>> 32) & mask;
        }
    }

    private volatile Table table = Table.withCapacity(8);

    /**
     * @param stream a stream handle
     * @return the stream's route, or null when it has none; takes no lock and allocates nothing
     */
    StreamRoute get(long stream) {
        return table.get(stream);
    }

    /**
     * @param stream a stream handle
     * @param make   makes the route of a stream that has none; never returns null
     * @return the stream's route, made now when it had none
     */
    synchronized StreamRoute computeIfAbsent(long stream, LongFunction<? extends StreamRoute> make) {
        StreamRoute route = table.get(stream);
        if (route == null) {
            route = Objects.requireNonNull(make.apply(stream), "a stream's new route");
            table = table.with(stream, route);
        }
        return route;
    }

    /**
     * Routes a stream anew.
     *
     * @param stream a stream handle
     * @param route  its route from now on
     */
    synchronized void put(long stream, StreamRoute route) {
        table = table.with(stream, Objects.requireNonNull(route, "route"));
    }

    /**
     * @param stream a stream handle
     * @return the stream's route before it was removed, or null
     */
    synchronized StreamRoute remove(long stream) {
        StreamRoute route = table.get(stream);
        if (route != null) {
            table = table.with(stream, null);
        }
        return route;
    }

    /** @return every stream's queue now */
    List<AdoptedStream> adopted() {
        List<AdoptedStream> adopted = new ArrayList<>();
        for (StreamRoute route : table.values()) {
            if (route instanceof AdoptedStream a) {
                adopted.add(a);
            }
        }
        return adopted;
    }

    /** @return every route now */
    List<StreamRoute> values() {
        StreamRoute[] values = table.values();
        List<StreamRoute> routes = new ArrayList<>(values.length);
        for (StreamRoute v : values) {
            if (v != null) {
                routes.add(v);
            }
        }
        return routes;
    }
}
