package xsched.core.internal.queue;

import java.util.Arrays;

/** A growable FIFO of longs that does not box and does not allocate per element. */
final class LongRing {
    private long[] items = new long[32];
    private int head;
    private int size;

    void add(long value) {
        if (size == items.length) {
            long[] grown = new long[items.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = items[(head + i) % items.length];
            }
            items = grown;
            head = 0;
        }
        items[(head + size) % items.length] = value;
        size++;
    }

    long peek() {
        if (size == 0) {
            throw new IllegalStateException("empty");
        }
        return items[head];
    }

    long peekLast() {
        if (size == 0) {
            throw new IllegalStateException("empty");
        }
        return items[(head + size - 1) % items.length];
    }

    long poll() {
        long value = peek();
        head = (head + 1) % items.length;
        size--;
        return value;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        Arrays.fill(items, 0);
        head = 0;
        size = 0;
    }
}
