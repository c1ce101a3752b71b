package xsched.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bnd launcher calls {@link EmbeddedExit#call()} on its main thread and, once it returns a
 * status, stops the framework and exits with it; the shell calls {@code exit}.
 */
class EmbeddedExitTest {
    private final EmbeddedExit exit = new EmbeddedExit();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private PrintStream stdout;

    @BeforeEach
    void captureOutput() {
        stdout = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(stdout);
    }

    @Test
    void exitHandsStatusZeroToTheLauncherWaitingOnItsMainThread() throws Exception {
        CompletableFuture<Integer> launcher = CompletableFuture.supplyAsync(this::callAsTheLauncherDoes);
        assertThat(launcher).isNotDone();
        exit.exit();
        assertThat(launcher.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(exit.exitRequested()).isTrue();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("stopping the framework; exit status 0");
    }

    @Test
    void exitTakesAStatus() throws Exception {
        exit.exit("3");
        assertThat(exit.call()).isEqualTo(3);
    }

    @Test
    void badStatusesAreRefusedAndNothingStops() {
        exit.exit("4294967296"); // 2^32: an (int) cast would make it 0
        exit.exit("198"); // bnd's "wait for another main callable": the process would not end
        exit.exit("-1");
        exit.exit("1", "2");
        exit.exit("\u001b[2J");
        assertThat(exit.exitRequested()).isFalse();
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("exit status must be in 0…125, not 4294967296")
                .contains("exit status must be in 0…125, not 198")
                .contains("exit status must be in 0…125, not -1")
                .contains("too many arguments")
                .contains("exit status must be a whole number, not '\\x1b[2J'")
                .contains(EmbeddedExit.USAGE)
                .doesNotContain("\u001b");
    }

    @Test
    void goingAwayWithoutExitTellsTheLauncherToWaitForAnotherMainCallable() throws Exception {
        exit.deactivate();
        assertThat(exit.call()).isEqualTo(EmbeddedExit.RELISTEN);
        assertThat(exit.exitRequested()).isFalse();
    }

    @Test
    void theFirstAnswerStands() throws Exception {
        exit.exit("5");
        exit.deactivate(); // the stopping framework deactivates the component after exit
        exit.exit("6");
        assertThat(exit.call()).isEqualTo(5);
        assertThat(exit.exitRequested()).isTrue();
    }

    private Integer callAsTheLauncherDoes() {
        try {
            return exit.call();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
