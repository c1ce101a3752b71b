package xsched.backend.cuda;

import java.util.Objects;
import xsched.backend.cuda.internal.LaunchScratch;
import xsched.backend.cuda.internal.ffm.CudaDriver;

/**
 * Makes the queue's later work wait for a {@link CudaEvent} ({@code cuStreamWaitEvent}): for the
 * work before the event's most recent record launched by then. See {@link CudaEvent} on ordering.
 */
public final class EventWait extends EventCommand {
    private EventWait(CudaEvent event) {
        super(event);
    }

    /** @param event the event @return the command */
    public static EventWait of(CudaEvent event) {
        return new EventWait(Objects.requireNonNull(event, "event"));
    }

    @Override
    public String describe() {
        return "wait " + event();
    }

    @Override
    void enqueue(long stream, LaunchScratch scratch) {
        checkResources();
        CudaDriver.streamWaitEvent(stream, event().handle());
    }
}
