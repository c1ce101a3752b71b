package xsched.backend.levelzero.internal.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import xsched.backend.levelzero.ZeCommand;
import xsched.backend.levelzero.internal.ze.LevelZero;

/** A submission that records what the queue asks of it, and refuses what it is told to. */
final class FakeSubmission implements Submission {
    final List<String> calls = new ArrayList<>();
    Predicate<ZeCommand> refuse = c -> false;
    boolean refuseBarriers;

    @Override
    public String mode() {
        return "fake";
    }

    @Override
    public void append(ZeCommand command) {
        if (refuse.test(command)) {
            throw LevelZero.error(0x78000016, "zeKernelSetArgumentValue", null);
        }
        calls.add("append " + command.describe());
    }

    @Override
    public void barrier(long signalEvent) {
        if (refuseBarriers) {
            throw LevelZero.error(0x70000002, "zeCommandListAppendBarrier", null);
        }
        calls.add("barrier " + signalEvent);
    }

    @Override
    public void flush() {
        calls.add("flush");
    }

    @Override
    public void close() {
        calls.add("close");
    }
}
