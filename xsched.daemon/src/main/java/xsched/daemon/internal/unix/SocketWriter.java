package xsched.daemon.internal.unix;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Sends whole messages over a socket in order, from any thread, without ever blocking the caller:
 * a message goes out at once on the caller's thread when nothing waits before it and the socket
 * takes it (the common case: no thread is woken); otherwise it waits in a queue that a writer
 * thread drains. A peer that lets more than {@code limitBytes} wait is given up on.
 */
public final class SocketWriter implements AutoCloseable {
    private final UnixSocket socket;
    private final long limitBytes;
    private final Consumer<String> onFailure;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private final Thread writer;
    private long pendingBytes;
    private boolean busy;
    private boolean closed;

    /**
     * @param socket     the socket
     * @param name       the writer thread's name
     * @param limitBytes the most bytes that may wait
     * @param onFailure  told once, off the caller's locks, why sending stopped (failure or a stuck peer)
     */
    public SocketWriter(UnixSocket socket, String name, long limitBytes, Consumer<String> onFailure) {
        this.socket = socket;
        this.limitBytes = limitBytes;
        this.onFailure = onFailure;
        this.writer = Thread.ofPlatform().daemon().name(name).start(this::drain);
    }

    /**
     * Sends a message, or queues it.
     *
     * @param message the bytes of one message
     * @return false when the writer is closed or has failed (the message is dropped)
     */
    public boolean send(byte[] message) {
        String failure = null;
        synchronized (this) {
            if (closed) {
                return false;
            }
            int sent = 0;
            if (pending.isEmpty() && !busy) {
                try {
                    sent = socket.trySend(message, 0, message.length);
                } catch (IOException e) {
                    failure = "sending failed: " + e.getMessage();
                }
            }
            if (failure == null && sent < message.length) {
                pending.addLast(sent == 0 ? message : Arrays.copyOfRange(message, sent, message.length));
                pendingBytes += message.length - sent;
                if (pendingBytes > limitBytes) {
                    failure = "the peer stopped reading: " + pendingBytes + " bytes wait to be sent";
                } else {
                    notifyAll();
                }
            }
            if (failure != null) {
                closed = true;
                pending.clear();
                notifyAll();
            }
        }
        if (failure != null) {
            onFailure.accept(failure);
            return false;
        }
        return true;
    }

    private void drain() {
        OutputStream out = socket.output();
        while (true) {
            byte[] next;
            synchronized (this) {
                while (pending.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                next = pending.removeFirst();
                pendingBytes -= next.length;
                busy = true;
            }
            try {
                out.write(next);
            } catch (IOException e) {
                synchronized (this) {
                    closed = true;
                    pending.clear();
                }
                onFailure.accept("sending failed: " + e.getMessage());
                return;
            }
            synchronized (this) {
                busy = false;
            }
        }
    }

    /** Stops sending; what waits is dropped. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            pending.clear();
            notifyAll();
        }
    }
}
