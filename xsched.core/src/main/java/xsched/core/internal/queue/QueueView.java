package xsched.core.internal.queue;

/**
 * One consistent reading of a queue, for listings.
 *
 * @param status        RUNNING, SUSPENDED, DETACHED, FAILED or CLOSED
 * @param suspended     whether suspended
 * @param submitted     commands submitted
 * @param ended         commands ended (completed, failed or dropped)
 * @param completed     commands completed without failing
 * @param pending       commands waiting to be launched
 * @param inFlight      commands launched and not known ended
 * @param blockedReason why it waits for a backend, or null
 * @param failure       why it failed, or null
 * @param partition     the partition it runs on, or null for the whole device
 * @param partitionNote a move under way or why the last one failed, or null
 * @param reach         how far a stop would reach now: the effective level and where running work stops
 */
public record QueueView(String status, boolean suspended, long submitted, long ended, long completed, int pending,
        int inFlight, String blockedReason, String failure, String partition, String partitionNote, StopReach reach) {
    /** The machine's lock held. */
    static QueueView of(QueueStateMachine m) {
        String status = switch (m.phase) {
            case FAILED -> "FAILED";
            case CLOSED -> "CLOSED";
            default -> m.attachment == QueueStateMachine.Attachment.DETACHED || m.attachment == QueueStateMachine.Attachment.ATTACHING
                    ? "DETACHED" : m.suspended ? "SUSPENDED" : "RUNNING";
        };
        Attachments.Move move = m.moveTo != null ? m.moveTo : m.attachment == QueueStateMachine.Attachment.MOVING ? m.moving : null;
        String note = move == null ? m.moveFailure
                : "moving to " + (move.partition() == null ? "the whole device" : move.partition().name());
        Throwable f = m.failure;
        return new QueueView(status, m.suspended, m.submitted, m.book.ended(), m.book.completedCount(), m.pending.size(), m.window.size(),
                m.blockedReason, f == null ? null : String.valueOf(f.getMessage() == null ? f : f.getMessage()),
                m.partition == null ? null : m.partition.name(), note, StopReach.of(m.level, m.hw, m.window.launched()));
    }
}
