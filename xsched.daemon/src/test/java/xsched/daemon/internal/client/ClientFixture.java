package xsched.daemon.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import xsched.api.PreemptLevel;
import xsched.backend.host.HostBackend;
import xsched.core.embed.EmbeddedXsched;
import xsched.daemon.internal.server.Eventually;

/**
 * What the client tests share: client runtimes on a host XPU linked to a daemon at a socket, as
 * {@link NodeLinks#start} builds them, and everything a test opened, closed in reverse order when
 * the test ends (a field with JUnit's {@code @AutoClose}).
 */
final class ClientFixture implements AutoCloseable {
    /** A client runtime scheduled through the daemon. */
    record Client(EmbeddedXsched xsched, RelayPolicy relay, NodeLink link) {
    }

    private final Deque<AutoCloseable> closing = new ArrayDeque<>();

    /** @return {@code c}, closed when the test ends (after what was opened later) */
    <T extends AutoCloseable> T closeLater(T c) {
        closing.push(c);
        return c;
    }

    /** @return a host XPU of one device (level 3), closed when the test ends */
    HostBackend host() {
        return closeLater(new HostBackend(1, PreemptLevel.INTERRUPT));
    }

    /**
     * A client runtime whose only policy relays to the daemon at {@code socket}, connected.
     *
     * @param windows     the windows its suspended level-1 queues narrow to
     * @param directEdges whether edges go out on the thread that caused them ({@code xsched.node.directEdges=true})
     */
    Client client(Path socket, String name, SuspendedWindows windows, boolean directEdges) throws InterruptedException {
        HostBackend host = host();
        RelayPolicy relay = new RelayPolicy();
        NodeLink link = new NodeLink(socket, name, relay, windows, directEdges);
        EmbeddedXsched xsched = closeLater(EmbeddedXsched.builder().backend(host).policy("node", relay).activePolicy("node").build());
        link.start(xsched);
        closeLater(link);
        assertThat(link.awaitConnected(Eventually.PATIENCE_SECONDS * 1000)).as("connected").isTrue();
        return new Client(xsched, relay, link);
    }

    /** @return a runtime on a host XPU, no daemon; its scheduler leaves suspensions to the test */
    EmbeddedXsched manual() {
        return closeLater(EmbeddedXsched.builder().backend(host()).manualScheduling().build());
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!closing.isEmpty()) {
            try {
                closing.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
