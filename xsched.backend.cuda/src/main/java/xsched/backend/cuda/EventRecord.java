package xsched.backend.cuda;

import java.util.Objects;
import xsched.backend.cuda.internal.LaunchScratch;
import xsched.backend.cuda.internal.ffm.CudaDriver;

/** Records a {@link CudaEvent} in the queue ({@code cuEventRecord}): it completes when the work before it has. */
public final class EventRecord extends EventCommand {
    private EventRecord(CudaEvent event) {
        super(event);
    }

    /** @param event the event @return the command */
    public static EventRecord of(CudaEvent event) {
        return new EventRecord(Objects.requireNonNull(event, "event"));
    }

    @Override
    public String describe() {
        return "record " + event();
    }

    @Override
    void enqueue(long stream, LaunchScratch scratch) {
        checkResources();
        CudaDriver.eventRecord(event().handle(), stream);
    }
}
