package xsched.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TopScreenTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void onATerminalEachRefreshGoesHomeAndClearsFirst() {
        TopScreen screen = new TopScreen(out, true);
        screen.show("frame 1");
        screen.show("frame 2");
        assertThat(text()).isEqualTo("\u001b[H\u001b[2Jframe 1" + System.lineSeparator() + "\u001b[H\u001b[2Jframe 2" + System.lineSeparator());
    }

    @Test
    void elsewhereRefreshesFollowOneAnotherWithoutEscapes() {
        TopScreen screen = new TopScreen(out, false);
        screen.show("frame 1");
        screen.show("frame 2");
        assertThat(text()).isEqualTo("frame 1" + System.lineSeparator() + "frame 2" + System.lineSeparator());
    }

    @Test
    void testsAndPipesAreNoTerminal() {
        // surefire runs the JVM with its output piped, as ssh exec and `| less` do
        assertThat(TopScreen.of(out).redraws()).isFalse();
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
