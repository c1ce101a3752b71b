package xsched.daemon.internal.client;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import xsched.daemon.internal.protocol.Frame;
import xsched.daemon.internal.protocol.FrameCodec;
import xsched.daemon.internal.server.Eventually;
import xsched.daemon.internal.unix.UnixServerSocket;
import xsched.daemon.internal.unix.UnixSocket;

/**
 * A daemon that welcomes one client and keeps every frame it sends, in order; a test may send the
 * client decisions as the daemon would.
 */
final class FakeDaemon implements AutoCloseable {
    private static final Object END = new Object();

    final Path socket;
    private final UnixServerSocket listener;
    private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME);
    private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
    private volatile UnixSocket peer;

    private FakeDaemon(Path socket, UnixServerSocket listener) {
        this.socket = socket;
        this.listener = listener;
    }

    static FakeDaemon start(Path socket) throws IOException {
        FakeDaemon d = new FakeDaemon(socket, UnixServerSocket.bind(socket, 0600, -1));
        Thread.ofPlatform().daemon().name("fake-daemon").start(d::serve);
        return d;
    }

    private void serve() {
        try {
            peer = listener.accept();
            try (InputStream in = new BufferedInputStream(peer.input(), 8192)) {
                Frame frame;
                while ((frame = codec.read(in)) != null) {
                    if (frame instanceof Frame.Hello hello) {
                        long pid = ProcessHandle.current().pid();
                        byte[] welcome = codec.encode(new Frame.Welcome(Math.min(hello.version(), Frame.VERSION), 0, pid, pid, 0, "fake"));
                        synchronized (this) {
                            peer.output().write(welcome, 0, welcome.length);
                        }
                    }
                    frames.add(frame);
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            frames.add(END);
        }
    }

    /** @return the frames received, up to and with the first that matches */
    List<Frame> framesUntil(Predicate<Frame> last) throws InterruptedException {
        List<Frame> got = new ArrayList<>();
        while (true) {
            Object o = frames.poll(Eventually.PATIENCE_SECONDS, TimeUnit.SECONDS);
            if (o == null || o == END) {
                throw new AssertionError((o == null ? "nothing came for " + Eventually.PATIENCE_SECONDS + " s" : "the client left")
                        + "; frames so far: " + got);
            }
            got.add((Frame) o);
            if (last.test((Frame) o)) {
                return got;
            }
        }
    }

    /** Sends the client a frame, as the daemon would. */
    void send(Frame.FromServer frame) throws IOException {
        UnixSocket p = peer;
        if (p == null) {
            throw new IllegalStateException("no client connected yet");
        }
        byte[] bytes = codec.encode(frame);
        synchronized (this) {
            p.output().write(bytes, 0, bytes.length);
        }
    }

    @Override
    public void close() {
        listener.close();
        UnixSocket p = peer;
        if (p != null) {
            p.close();
        }
    }
}
