package xsched.run.agent;

import xsched.api.DirectLane;
import xsched.api.XQueue;

/**
 * Whether an adopted stream's queue has its direct lane: given when the stream is adopted, taken
 * back before a capture begins on the stream (nothing of xsched's may touch a capturing stream, and
 * a launch made through the lane would have the queue record a sync point there), given again at
 * the stream's next call through its queue.
 */
final class StreamLane {
    /** For streams without a lane. */
    static final StreamLane NONE = new StreamLane(null, null);

    private final XQueue queue;
    private final DirectLane lane;
    private volatile boolean given;

    /**
     * @param queue the stream's queue
     * @param lane  its lane
     */
    StreamLane(XQueue queue, DirectLane lane) {
        this.queue = queue;
        this.lane = lane;
    }

    /** Gives the queue its lane, unless it has it. */
    void give() {
        if (lane != null && !given) {
            given = queue.directLane(lane);
        }
    }

    /**
     * The application synchronized the stream: the queue counts what was made through the lane now,
     * so that the settle that follows ends it too (it would otherwise wait for a sync point of its
     * own); the lane stays the queue's, closed until the queue's next launch at once.
     */
    void count() {
        if (lane != null && given) {
            queue.directLane(lane);
        }
    }

    /** Takes the lane back: closed, what was made through it counted by the queue. */
    void takeBack() {
        if (lane != null && given) {
            given = false;
            queue.directLane(null);
        }
    }
}
