package xsched.daemon.internal.server;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import xsched.daemon.internal.protocol.Frame;
import xsched.daemon.internal.protocol.FrameCodec;
import xsched.daemon.internal.protocol.ProtocolException;
import xsched.daemon.internal.unix.UnixSocket;

/**
 * A client that speaks the protocol by hand, right or wrong: it sends frames or any bytes, and a
 * reader thread takes the daemon's frames (into a queue, or to a sink) until the connection ends.
 * Every wait is bounded, to fail a hung test rather than hang it.
 */
final class RawClient implements AutoCloseable {
    private static final Object END = new Object();

    private final UnixSocket socket;
    private volatile FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME);
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final Consumer<Frame> sink;
    private final CountDownLatch end = new CountDownLatch(1);
    private final AtomicBoolean closedByUs = new AtomicBoolean();
    private volatile IOException endedBy;
    private volatile boolean endedBeforeWeClosed;
    private Thread reader;

    private RawClient(UnixSocket socket, Consumer<Frame> sink) {
        this.socket = socket;
        this.sink = sink != null ? sink : received::add;
    }

    /** @return a client whose reader keeps every frame for {@link #next()} */
    static RawClient connect(Path path) throws IOException {
        RawClient c = new RawClient(UnixSocket.connect(path), null);
        c.startReading();
        return c;
    }

    /** @return a client whose reader hands every frame to a sink and keeps none */
    static RawClient connect(Path path, Consumer<Frame> sink) throws IOException {
        RawClient c = new RawClient(UnixSocket.connect(path), sink);
        c.startReading();
        return c;
    }

    /** @return a client that reads nothing until {@link #startReading()} */
    static RawClient connectNotReading(Path path) throws IOException {
        return new RawClient(UnixSocket.connect(path), null);
    }

    synchronized void startReading() {
        if (reader == null) {
            reader = Thread.ofPlatform().daemon().name("raw-client-read").start(this::read);
        }
    }

    private void read() {
        try (InputStream in = new BufferedInputStream(socket.input(), 8192)) {
            Frame frame;
            while ((frame = codec.read(in)) != null) {
                sink.accept(frame);
            }
        } catch (IOException e) {
            // a reset or an end inside a frame when the daemon drops the connection; a ProtocolException is the daemon's fault
            endedBy = e;
        } finally {
            endedBeforeWeClosed = !closedByUs.get();
            received.add(END);
            end.countDown();
        }
    }

    /** Encodes the frames it sends from now on in an earlier protocol version (this build's by default). */
    void speak(int version) {
        codec = codec.speaking(version);
    }

    void send(Frame frame) throws IOException {
        sendRaw(codec.encode(frame));
    }

    void sendRaw(byte[] bytes) throws IOException {
        socket.output().write(bytes, 0, bytes.length);
    }

    /** Greets the daemon and returns its welcome. */
    Frame.Welcome hello(String name) throws Exception {
        send(new Frame.Hello(Frame.VERSION, 0, name));
        return next(Frame.Welcome.class);
    }

    /** @return the next frame from the daemon; fails when the connection ended or nothing came */
    Frame next() throws InterruptedException {
        Object o = received.poll(Eventually.PATIENCE_SECONDS, TimeUnit.SECONDS);
        if (o == null) {
            throw new AssertionError("the daemon sent nothing for " + Eventually.PATIENCE_SECONDS + " s");
        }
        if (o == END) {
            received.add(END);
            throw new AssertionError("the daemon closed the connection instead of answering" + (endedBy == null ? "" : ": " + endedBy));
        }
        return (Frame) o;
    }

    <F extends Frame> F next(Class<F> type) throws InterruptedException {
        Frame f = next();
        if (!type.isInstance(f)) {
            throw new AssertionError("expected a " + type.getSimpleName() + " from the daemon, got " + f);
        }
        return type.cast(f);
    }

    /**
     * Waits for the daemon to end the connection, and fails if it sent a frame first or sent
     * something that is not a frame.
     */
    void awaitClosedByDaemonWithoutAnswer() throws InterruptedException {
        Object o = received.poll(Eventually.PATIENCE_SECONDS, TimeUnit.SECONDS);
        if (o == null) {
            throw new AssertionError("the daemon kept the connection open for " + Eventually.PATIENCE_SECONDS + " s");
        }
        if (o != END) {
            throw new AssertionError("the daemon answered " + o + " instead of closing the connection");
        }
        received.add(END);
        if (endedBy instanceof ProtocolException) {
            throw new AssertionError("the daemon sent something that is not a frame", endedBy);
        }
    }

    /** Waits until the reader saw the connection end; fails after the patience. */
    void awaitEnd() throws InterruptedException {
        if (!end.await(Eventually.PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("the connection did not end within " + Eventually.PATIENCE_SECONDS + " s");
        }
    }

    /** @return whether the reader saw the connection end */
    boolean ended() {
        return end.getCount() == 0;
    }

    /** @return whether the connection ended before this client closed it: the daemon ended it */
    boolean endedByDaemon() {
        return ended() && endedBeforeWeClosed;
    }

    /** @return what the reader failed with, or null after a clean end (or while it reads) */
    IOException endedBy() {
        return endedBy;
    }

    @Override
    public void close() {
        closedByUs.set(true);
        socket.close();
    }
}
