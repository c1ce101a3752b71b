package xsched.backend.cuda.internal.ptx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A block-level model of the device protocol in the package documentation, run against the host
 * steps it prescribes: a logical launch stopped again and again and relaunched with only the
 * documented resets completes every logical block exactly once. The model follows the generated
 * PTX step for step (prologue: flag, redo by compare-and-swap below min(redoEnd, capacity), fresh
 * ticket; interrupt point: record at recordNext or keep running when the list is full).
 */
class ControlProtocolModelTest {

    /** The control block's words, as the device sees them. */
    private static final class Control {
        long nextTicket;
        int redoNext;
        int redoEnd;
        int recordNext;
        final long[] list;

        Control(int capacity) {
            list = new long[capacity];
        }
    }

    @ParameterizedTest(name = "{0} blocks, {1} resident, capacity {2}, Lv3 {3}")
    @CsvSource({"1000, 64, 16384, true", "1000, 64, 100, true", "1000, 64, 0, true", "777, 50, 16384, false",
            "5, 64, 16384, true"})
    void everyLogicalBlockCompletesExactlyOnceAcrossStopsAndRelaunches(int total, int resident, int capacity,
            boolean lv3) {
        Control c = new Control(capacity);
        int[] completed = new int[total];
        int launches = 0;
        while (!done(c, total)) {
            assertThat(++launches).as("launches").isLessThan(10_000);
            // the host stops each launch after a few waves; every third launch runs to the end
            int stopAfterWave = launches % 3 == 0 ? Integer.MAX_VALUE : 1 + launches % 4;
            launch(c, total, resident, lv3, stopAfterWave, completed);
            c.redoEnd = c.recordNext; // the only host step before a relaunch (4-byte copy)
        }
        for (int b = 0; b < total; b++) assertThat(completed[b]).as("logical block %d", b).isEqualTo(1);
        // a relaunch after the end runs nothing
        launch(c, total, resident, lv3, Integer.MAX_VALUE, completed);
        assertThat(completed).containsOnly(1);
    }

    /** One physical launch of {@code total} blocks, {@code resident} at a time. */
    private static void launch(Control c, int total, int resident, boolean lv3, int stopAfterWave, int[] completed) {
        boolean flag = false;
        int started = 0;
        for (int wave = 0; started < total; wave++) {
            int inWave = Math.min(resident, total - started);
            long[] running = new long[inWave];
            int n = 0;
            for (int i = 0; i < inWave; i++) {
                long logical = prologue(c, total, lv3, flag);
                if (logical >= 0) running[n++] = logical;
            }
            started += inWave;
            if (wave + 1 == stopAfterWave) flag = true; // set while these blocks run
            for (int i = 0; i < n; i++) {
                boolean interrupted = lv3 && flag && record(c, running[i]);
                if (!interrupted) completed[(int) running[i]]++;
            }
        }
    }

    /** Thread 0's part of the prologue: the logical index, or -1 when the block exits. */
    private static long prologue(Control c, int total, boolean lv3, boolean flag) {
        if (flag) return -1;
        if (lv3) {
            int end = Math.min(c.redoEnd, c.list.length);
            if (c.redoNext < end) return c.list[c.redoNext++];
        }
        long t = c.nextTicket++;
        return t >= total ? -1 : t;
    }

    /** The interrupt point's winner: true when the block recorded itself and left. */
    private static boolean record(Control c, long logical) {
        int slot = c.recordNext++;
        if (slot >= c.list.length) return false;
        c.list[slot] = logical;
        return true;
    }

    /** The completion test documented in the package documentation. */
    private static boolean done(Control c, int total) {
        int cap = c.list.length;
        return c.nextTicket >= total && c.redoNext >= Math.min(c.redoEnd, cap) && Math.min(c.recordNext, cap) <= c.redoEnd;
    }
}
