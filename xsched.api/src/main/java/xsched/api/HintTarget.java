package xsched.api;

/**
 * What a {@link Hint} applies to.
 */
public sealed interface HintTarget {
    /** One queue. @param queueId the queue's id */
    record Queue(long queueId) implements HintTarget {
    }

    /** Every queue, present and future, of one process. @param pid the process id */
    record Process(long pid) implements HintTarget {
    }

    /** The scheduler as a whole (e.g. k for k-EDF, the active window). */
    record Global() implements HintTarget {
    }

    /** @param queueId a queue id @return a target naming that queue */
    static HintTarget queue(long queueId) {
        return new Queue(queueId);
    }

    /** @param pid a process id @return a target naming every queue of that process */
    static HintTarget process(long pid) {
        return new Process(pid);
    }

    /** @return the global target */
    static HintTarget global() {
        return new Global();
    }
}
