package xsched.backend.testkit;

import java.util.Optional;
import xsched.spi.hal.HwCommand;

/**
 * Commands of the backend under test that record their execution, on one device: the command
 * {@link #mark(int) mark(i)} adds one to counter {@code i} and stamps slot {@code i} with the next
 * value of a clock shared by all marks of this object, when it runs on the device. A host backend
 * keeps the counters in Java arrays; a device backend keeps them in device memory (an atomic
 * increment in a tiny kernel) and reads them back in {@link #counts()} and {@link #order()}.
 */
public interface Marks extends AutoCloseable {
    /**
     * @param index 0 ≤ index &lt; the capacity asked for
     * @return a new command for one submission that, when it runs, does {@code counts[index] += 1}
     *         and {@code order[index] = ++clock}
     */
    HwCommand mark(int index);

    /**
     * @return a command that fails when it is launched or runs, touching no counter, without
     *         breaking its queue; empty when the backend has no such command (the failure test is
     *         then skipped)
     */
    default Optional<HwCommand> failing() {
        return Optional.empty();
    }

    /** @return every counter, read after the commands ended */
    int[] counts();

    /** @return every slot's clock stamp (0 = never ran), read after the commands ended */
    int[] order();

    /** Releases what the marks hold (device buffers, kernels). */
    @Override
    void close();
}
