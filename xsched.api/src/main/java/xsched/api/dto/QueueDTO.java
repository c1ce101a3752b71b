package xsched.api.dto;

import org.osgi.dto.DTO;

/** An open queue. */
public class QueueDTO extends DTO {
    /** Queue id. */
    public long id;
    /** Label. */
    public String name;
    /** Owning process. */
    public long pid;
    /** User id of the owning process; -1 when unknown. */
    public long uid = -1;
    /**
     * Where the queue runs: {@code "local"} for this process, else the name the owning process gave
     * when it connected to the node daemon.
     */
    public String client;
    /** Device id. */
    public String device;
    /** IDLE or READY. */
    public String state;
    /** Whether suspended. */
    public boolean suspended;
    /** Preempt level, 1…3: the level the queue runs at (asked for, or the highest its device offers). */
    public int level;
    /**
     * The level a stop of the queue would reach now, 1…3: at most {@link #level}, lower while a
     * launched command cannot be stopped as that level promises (e.g. a kernel from a cubin module,
     * behind a CUDA stream gate, caps a level-3 queue at 2); with nothing launched, what the level offers.
     */
    public int effectiveLevel;
    /**
     * Where a stop would leave the queue's running work now: {@code launch} (level 1: nothing more is
     * launched, launched work runs out), {@code command} (the running command finishes, nothing
     * launched behind it starts), {@code part} (running commands stop between parts, e.g. GPU
     * blocks) or {@code interrupt} (running parts stop at interrupt points and are redone).
     */
    public String stopsAt;
    /** Why {@link #effectiveLevel} or {@link #stopsAt} is below what {@link #level} offers, naming the command; null when it is not. */
    public String levelNote;
    /** Progressive-launching threshold. */
    public int threshold;
    /** Progressive-launching batch size. */
    public int batchSize;
    /** Commands submitted. */
    public long submitted;
    /** Commands ended (completed, failed or dropped). */
    public long finished;
    /** Commands launched and not known complete. */
    public int inFlight;
    /** Priority hint. */
    public int priority;
    /** Why the queue cannot make progress, or null. */
    public String blockedReason;
    /** RUNNING, SUSPENDED, DETACHED (waiting for a backend), FAILED or CLOSED. */
    public String status;
    /** Why the queue failed, or null. */
    public String failure;
    /** Commands submitted and not yet launched. */
    public int pending;
    /** The most commands that may wait to be launched. */
    public int maxPending;
    /** The reservation hint in force: compute units ("16"), a share ("25%"), or null when none. */
    public String reservation;
    /** The partition the queue runs on, e.g. "host:0/w0-1"; null while it runs on its whole device. */
    public String partition;
    /** Why the queue is not where its reservation or the policy would put it, or a move in progress; null when nothing to say. */
    public String partitionNote;
}
