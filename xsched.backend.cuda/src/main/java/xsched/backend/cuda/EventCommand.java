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

    /** @return true: an event record or wait holds no SM, so it never keeps a stopped queue on the device */
    @Override
    public boolean deactivatable() {
        return true;
    }

    @Override
    void checkResources() {
        event.ensureOpen();
    }
}
