package xsched.shell.internal;

import java.io.Console;
import java.io.PrintStream;

/**
 * Where {@code xsched:top} draws its refreshes. On a terminal each refresh replaces the last one:
 * the cursor goes home and the screen is cleared first. Anywhere else (ssh exec channels, pipes,
 * files, tests) the refreshes follow one another as plain text, with no escape sequences.
 */
final class TopScreen {
    /** ANSI: cursor home, then erase the whole screen. */
    static final String HOME_AND_CLEAR = "\u001b[H\u001b[2J";

    private final PrintStream out;
    private final boolean redraw;

    /**
     * @param out    where to print
     * @param redraw whether {@code out} is a terminal that should be redrawn in place
     */
    TopScreen(PrintStream out, boolean redraw) {
        this.out = out;
        this.redraw = redraw;
    }

    /**
     * A screen on {@code out} that redraws in place when the JVM's console is a terminal. A
     * heuristic without arguments: in the embedded runtime the shell's output is the JVM's
     * console, so pipes and {@code printf … | java -jar} get plain refreshes; a Karaf started as
     * a service has no terminal and prints plain refreshes to every session, while one started
     * in a terminal redraws in its sessions too.
     *
     * @param out where to print
     * @return the screen
     */
    static TopScreen of(PrintStream out) {
        Console console = System.console();
        return new TopScreen(out, console != null && console.isTerminal());
    }

    boolean redraws() {
        return redraw;
    }

    /** Shows one refresh: {@code frame} is already escaped text. */
    void show(String frame) {
        if (redraw) {
            out.print(HOME_AND_CLEAR);
        }
        out.println(frame);
        out.flush();
    }
}
