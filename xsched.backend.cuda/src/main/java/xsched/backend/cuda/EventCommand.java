package xsched.backend.cuda;

/** A command on one {@link CudaEvent}: {@link EventRecord} or {@link EventWait}. */
abstract sealed class EventCommand extends CudaCommand permits EventRecord, EventWait {
    private final CudaEvent event;

    EventCommand(CudaEvent event) {
        super(event.gpu());
        this.event = event;
    }

    /** @return the event */
    public CudaEvent event() {
        return event;
    }

    @Override
    void checkResources() {
        event.ensureOpen();
    }
}
