package xsched.policy.edf;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import xsched.policy.testkit.QueueStatusBuilder;
import xsched.policy.testkit.RecordingContext;
import xsched.policy.testkit.SchedulerStatusBuilder;
import xsched.spi.policy.QueueHints;
import xsched.spi.policy.QueueStatus;
import xsched.spi.policy.SchedulingPolicy;

/**
 * Periodic tasks, one queue each, on one simulated device that shares its time equally among the
 * queues left running. Each period releases a job of fixed work, due one period later; the queue
 * is READY while it has unfinished jobs. The policy runs on every edge, as the engine runs it,
 * and the simulation counts jobs that finished after their deadline.
 */
final class PeriodicTaskSimulation {
    /** @param queueId queue @param periodNanos period and relative deadline @param workNanos work per job @param hints hints */
    record Task(long queueId, long periodNanos, long workNanos, QueueHints hints) {
    }

    private static final class Job {
        final long deadline;
        double remaining;

        Job(long deadline, double remaining) {
            this.deadline = deadline;
            this.remaining = remaining;
        }
    }

    private static final class Queue {
        final Task task;
        final Deque<Job> jobs = new ArrayDeque<>();
        boolean suspended;
        long readySince;

        Queue(Task task) {
            this.task = task;
        }
    }

    private final List<Queue> queues = new ArrayList<>();
    private int missed;
    private int finished;

    PeriodicTaskSimulation(List<Task> tasks) {
        tasks.forEach(t -> queues.add(new Queue(t)));
    }

    /**
     * @param policy  the policy under test
     * @param horizon how long to simulate
     * @param step    time step; releases and work should be multiples of it
     * @return this, to read the counts
     */
    PeriodicTaskSimulation run(SchedulingPolicy policy, long horizon, long step) {
        boolean edge = false;
        for (long now = 0; now < horizon; now += step) {
            for (Queue q : queues) {
                if (now % q.task.periodNanos() == 0) {
                    if (q.jobs.isEmpty()) {
                        q.readySince = now;
                        edge = true;
                    }
                    q.jobs.add(new Job(now + q.task.periodNanos(), q.task.workNanos()));
                }
            }
            if (edge) {
                schedule(policy, now);
                edge = false;
            }
            List<Queue> running = queues.stream().filter(q -> !q.jobs.isEmpty() && !q.suspended).toList();
            for (Queue q : running) {
                Job job = q.jobs.peek();
                job.remaining -= (double) step / running.size();
                if (job.remaining <= 1e-6) {
                    q.jobs.poll();
                    finished++;
                    missed += now + step > job.deadline ? 1 : 0;
                    edge |= q.jobs.isEmpty();
                }
            }
        }
        return this;
    }

    private void schedule(SchedulingPolicy policy, long now) {
        List<QueueStatus> status = queues.stream().map(q -> new QueueStatusBuilder(q.task.queueId(), "dev")
                .ready(!q.jobs.isEmpty()).suspended(q.suspended).readySince(q.readySince).hints(q.task.hints()).build()).toList();
        // this simulation runs the policy on edges only: no timers
        RecordingContext context = new RecordingContext(now).refuseTimers();
        policy.schedule(new SchedulerStatusBuilder(status).at(now).build(), context);
        context.decided().forEach((queueId, resumed) -> find(queueId).suspended = !resumed);
    }

    private Queue find(long id) {
        return queues.stream().filter(q -> q.task.queueId() == id).findFirst().orElseThrow();
    }

    int missed() {
        return missed;
    }

    int finished() {
        return finished;
    }
}
