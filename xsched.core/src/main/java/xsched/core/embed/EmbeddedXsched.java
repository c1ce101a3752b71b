package xsched.core.embed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import xsched.api.Hint;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.XpuDevice;
import xsched.api.Xsched;
import xsched.api.dto.RuntimeDTO;
import xsched.core.engine.EdgeListener;
import xsched.core.engine.ForeignQueues;
import xsched.core.internal.queue.ProgressiveQueue;
import xsched.core.internal.runtime.XschedRuntime;
import xsched.spi.hal.Backend;
import xsched.spi.policy.SchedulingPolicy;

/**
 * An xsched runtime in plain Java: the same queues, scheduler engine and backend and policy
 * whiteboards as the OSGi service, with backends and policies handed over by the application
 * instead of found in a service registry. Build one with {@link #builder()}; close it when done,
 * which closes its queues and stops its scheduler.
 *
 * <p>Backends stay the application's: closing the runtime does not close them, so close them
 * afterwards (the host backend is {@link AutoCloseable}).
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public final class EmbeddedXsched implements Xsched, AutoCloseable {
    /**
     * The name under which {@link Builder#manualScheduling()} installs its policy, as
     * {@link #activePolicy()} reports it.
     */
    public static final String MANUAL_POLICY = "manual";

    /**
     * How to build an {@link EmbeddedXsched}. Policies and backends are installed in the order
     * given; the active policy is the one named by {@link #activePolicy(String)} (or
     * {@link #manualScheduling()}), else the first policy given, else none (then every queue runs).
     */
    public static final class Builder {
        private final List<Backend> backends = new ArrayList<>();
        private final Map<String, SchedulingPolicy> policies = new LinkedHashMap<>();
        private String active;
        private String fallback;
        private Duration policyDeadline;

        private Builder() {
        }

        /**
         * Adds a backend; its devices are available as soon as the runtime is built.
         *
         * @param backend a backend, e.g. {@code new HostBackend(1, PreemptLevel.INTERRUPT)}
         * @return this builder
         */
        public Builder backend(Backend backend) {
            backends.add(Objects.requireNonNull(backend, "backend"));
            return this;
        }

        /**
         * Installs a policy. The first policy installed is the active one unless
         * {@link #activePolicy(String)} names another.
         *
         * @param name   the name users select it by (what {@link SchedulingPolicy#NAME} says in OSGi)
         * @param policy the policy
         * @return this builder
         * @throws IllegalArgumentException when the name is blank or already taken
         */
        public Builder policy(String name, SchedulingPolicy policy) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(policy, "policy");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a policy needs a name that is not blank");
            }
            if (policies.containsKey(name)) {
                throw new IllegalArgumentException("a policy named '" + name + "' is already installed");
            }
            policies.put(name, policy);
            return this;
        }

        /**
         * Names the policy to run.
         *
         * @param name the name of a policy given to {@link #policy(String, SchedulingPolicy)}
         * @return this builder
         */
        public Builder activePolicy(String name) {
            active = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Names the policy that takes over when the active one is removed; by default the active
         * policy itself (so removing it leaves no policy, and every queue runs).
         *
         * @param name a policy name; it may be installed later with {@link EmbeddedXsched#addPolicy}
         * @return this builder
         */
        public Builder fallbackPolicy(String name) {
            fallback = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Sets how long one policy call ({@code schedule}, {@code hint}, {@code reset}) may take;
         * a policy that overruns it is abandoned and rejected, and the fallback takes over. By
         * default the OSGi runtime's default, 100 ms.
         *
         * @param deadline the limit; {@link Duration#ZERO} for none (e.g. to debug a policy)
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder policyDeadline(Duration deadline) {
            Objects.requireNonNull(deadline, "deadline");
            if (deadline.isNegative()) {
                throw new IllegalArgumentException("the policy deadline must not be negative, not " + deadline);
            }
            policyDeadline = deadline;
            return this;
        }

        /**
         * Lets the application alone suspend and resume queues: installs, under
         * {@link EmbeddedXsched#MANUAL_POLICY}, a policy that decides nothing, and makes it the
         * active one. The scheduler leaves every queue as the application set it (with no policy
         * at all it would resume them). Another policy may still be activated later.
         *
         * @return this builder
         */
        public Builder manualScheduling() {
            return policy(MANUAL_POLICY, new ManualScheduling()).activePolicy(MANUAL_POLICY);
        }

        /**
         * Starts the runtime: its scheduler thread, the policies, the backends.
         *
         * @return the runtime
         * @throws IllegalStateException when {@link #activePolicy(String)} names a policy that was
         *                               not given
         */
        public EmbeddedXsched build() {
            String wanted = active != null ? active : policies.isEmpty() ? null : policies.keySet().iterator().next();
            if (wanted != null && !policies.containsKey(wanted)) {
                throw new IllegalStateException("active policy '" + wanted + "' was not given to the builder; given: "
                        + (policies.isEmpty() ? "none" : String.join(", ", policies.keySet())));
            }
            // A blank name never matches an installed policy: no name given means no policy.
            String wantedName = wanted == null ? "" : wanted;
            String fallbackName = fallback != null ? fallback : wantedName;
            XschedRuntime runtime = policyDeadline == null ? new XschedRuntime(wantedName, fallbackName)
                    : new XschedRuntime(wantedName, fallbackName, policyDeadline);
            policies.forEach(runtime::addPolicy);
            backends.forEach(runtime::addBackend);
            return new EmbeddedXsched(runtime);
        }
    }

    private final XschedRuntime runtime;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedXsched(XschedRuntime runtime) {
        this.runtime = runtime;
    }

    /** @return a builder for a runtime with no backends and no policy yet */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds a backend. Queues waiting for a device it provides (their backend went away) attach to
     * it.
     *
     * @param backend a backend
     */
    public void addBackend(Backend backend) {
        runtime.addBackend(Objects.requireNonNull(backend, "backend"));
    }

    /**
     * Takes a backend away. Queues on its devices let go of their hardware queues (launched work is
     * waited for) and wait, READY, for another backend for the same device; nothing submitted is
     * lost. The backend itself is not closed.
     *
     * @param backend a backend added before
     */
    public void removeBackend(Backend backend) {
        runtime.removeBackend(Objects.requireNonNull(backend, "backend"));
    }

    /**
     * Installs a policy. It becomes active if it is the wanted or the fallback policy and the
     * wanted one is not installed; otherwise {@link #activatePolicy(String)} selects it. A second
     * policy of the same name is rejected (the snapshot lists the rejection).
     *
     * @param name   the policy's name
     * @param policy the policy
     */
    public void addPolicy(String name, SchedulingPolicy policy) {
        runtime.addPolicy(Objects.requireNonNull(name, "name"), Objects.requireNonNull(policy, "policy"));
    }

    /**
     * Uninstalls a policy. If it was active, the fallback policy takes over, else none (every
     * queue runs).
     *
     * @param name   the name it was installed under
     * @param policy the policy installed under that name
     */
    public void removePolicy(String name, SchedulingPolicy policy) {
        runtime.removePolicy(Objects.requireNonNull(name, "name"), Objects.requireNonNull(policy, "policy"));
    }

    /**
     * Waits until the scheduler has handled every event raised before this call (queue edges,
     * hints, queues opened or closed, policy changes) and applied the resulting decisions. After
     * it returns, a queue the policy suspended on account of those events reports
     * {@link XQueue#suspended()} (stopping its launched work on the device may still be under
     * way). Events raised later, such as the completion of work still running, are not waited
     * for.
     *
     * @throws InterruptedException  when interrupted while waiting
     * @throws IllegalStateException when the runtime is closed
     */
    public void awaitScheduled() throws InterruptedException {
        requireOpen();
        runtime.engine().sync();
    }

    /**
     * Sets who hears the queues' READY and IDLE edges on the threads that cause them, before the
     * scheduler does (see {@link EdgeListener} for what it may do).
     *
     * @param listener the listener, or null for none
     */
    public void edgeListener(EdgeListener listener) {
        runtime.edgeListener(listener);
    }

    /**
     * Asks the scheduler to run the active policy again soon, and returns at once: for a policy
     * whose inputs change outside the scheduler (decisions relayed from the node daemon, a
     * policy's own configuration). Events and timers already cause rounds; this is for the rest.
     *
     * @throws IllegalStateException when the runtime is closed
     */
    public void reschedule() {
        requireOpen();
        runtime.engine().wake();
    }

    /**
     * Suspends one of this runtime's queues without waiting, and returns at once: from the return
     * on the queue launches nothing more; a stop of work already launched (levels 2 and 3) runs on
     * one of the runtime's preemption threads, as when the scheduler suspends it. For a caller that
     * must never wait on a device and knows the decision before the scheduler does (a node daemon's
     * link reader): a scheduler wake-up sooner than {@link #reschedule()}. The active policy still
     * decides in its rounds: one that wants the queue to run resumes it.
     *
     * @param queueId the queue
     * @return false when this runtime has no such queue of its own (a queue admitted from another
     *         process is suspended by its own process)
     * @throws IllegalStateException when the runtime is closed
     */
    public boolean suspendNow(long queueId) {
        requireOpen();
        if (runtime.queue(queueId).orElse(null) instanceof ProgressiveQueue q) {
            q.scheduled().suspend();
            return true;
        }
        return false;
    }

    /**
     * @return the door through which a node daemon admits queues run by other processes into this
     *         runtime's scheduler
     */
    public ForeignQueues foreignQueues() {
        return runtime;
    }

    /**
     * @return the longest time, in nanoseconds, that the scheduler ran without a policy between
     *         one policy going away and another taking over; 0 if that never happened
     */
    public long longestPolicyGapNanos() {
        return runtime.longestPolicyGapNanos();
    }

    /**
     * Closes every queue (waiting for launched work, dropping what was never launched) and stops
     * the scheduler. Backends are not closed. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            runtime.shutdown();
        }
    }

    /** @return every device of every backend, the best first */
    @Override
    public List<XpuDevice> devices() {
        return runtime.devices();
    }

    /**
     * @param deviceId a device id such as {@code host:0}
     * @return the device, if a backend currently provides it
     */
    @Override
    public Optional<XpuDevice> device(String deviceId) {
        return runtime.device(deviceId);
    }

    /**
     * Creates a queue on a device.
     *
     * @param deviceId the device
     * @param options  name, preempt level and launch parameters
     * @return the new queue, registered with the scheduler
     * @throws IllegalArgumentException for an unknown device or a level the device cannot do
     * @throws IllegalStateException    when the runtime is closed
     */
    @Override
    public XQueue createQueue(String deviceId, QueueOptions options) {
        requireOpen();
        return runtime.createQueue(deviceId, options);
    }

    /** @return every open queue, by id */
    @Override
    public List<XQueue> queues() {
        return runtime.queues();
    }

    /**
     * @param queueId a queue id
     * @return the queue, if open
     */
    @Override
    public Optional<XQueue> queue(long queueId) {
        return runtime.queue(queueId);
    }

    /**
     * Gives the scheduler a hint; it is kept across policy switches.
     *
     * @param hint the hint
     * @throws IllegalArgumentException when the hint names a queue that does not exist
     */
    @Override
    public void hint(Hint hint) {
        runtime.hint(hint);
    }

    /** @return the name of the active policy, empty while none is */
    @Override
    public Optional<String> activePolicy() {
        return runtime.activePolicy();
    }

    /**
     * Makes another installed policy active.
     *
     * @param name the policy's name
     * @throws IllegalArgumentException when no policy of that name is installed; the message lists those that are
     */
    @Override
    public void activatePolicy(String name) {
        runtime.activatePolicy(name);
    }

    /** @return a snapshot of the whole runtime: backends, devices, queues, policies, rejections */
    @Override
    public RuntimeDTO snapshot() {
        return runtime.snapshot();
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this embedded xsched runtime is closed");
        }
    }

    /** @return a short description: the active policy and the number of queues */
    @Override
    public String toString() {
        return "EmbeddedXsched[policy=" + activePolicy().orElse("none") + ", queues=" + queues().size() + "]";
    }
}
