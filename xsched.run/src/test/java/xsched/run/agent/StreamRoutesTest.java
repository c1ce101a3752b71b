package xsched.run.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link StreamRoutes} against a plain map, over handles that collide and grow the table. */
class StreamRoutesTest {
    @Test
    void routesAreWhatWasLastPutMadeOnceAndGoneWhenRemoved() {
        StreamRoutes routes = new StreamRoutes();
        Map<Long, StreamRoute> expected = new HashMap<>();
        Random random = new Random(13);
        for (int i = 0; i < 5_000; i++) {
            long stream = random.nextInt(3) == 0 ? random.nextInt(4) : 0x7f0000000000L + 0x100L * random.nextInt(200);
            switch (random.nextInt(3)) {
                case 0 -> {
                    routes.put(stream, new StreamRoute.Native("put " + i));
                    expected.put(stream, new StreamRoute.Native("put " + i));
                }
                case 1 -> assertThat(routes.remove(stream)).isEqualTo(expected.remove(stream));
                default -> {
                    StreamRoute made = new StreamRoute.Native("made " + i);
                    assertThat(routes.computeIfAbsent(stream, s -> made)).isEqualTo(expected.computeIfAbsent(stream, s -> made));
                }
            }
            assertThat(routes.get(stream)).isEqualTo(expected.get(stream));
        }
        assertThat(routes.values()).containsExactlyInAnyOrderElementsOf(expected.values());
        expected.forEach((stream, route) -> assertThat(routes.get(stream)).isEqualTo(route));
    }

    @Test
    void theAdoptedStreamsAreTheRoutesThroughAQueue() {
        StreamRoutes routes = new StreamRoutes();
        AdoptedStream adopted = new AdoptedStream(null, (function, call) -> null);
        routes.put(1, new StreamRoute.Native("another context's"));
        routes.put(2, adopted);
        assertThat(routes.adopted()).containsExactly(adopted);
        assertThat(routes.get(1)).isInstanceOfSatisfying(StreamRoute.Native.class,
                n -> assertThat(n.reason()).isEqualTo("another context's"));
        assertThat(routes.get(3)).isNull();
    }
}
