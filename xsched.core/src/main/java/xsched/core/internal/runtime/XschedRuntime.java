package xsched.core.internal.runtime;

import xsched.core.engine.EdgeListener;
import xsched.core.engine.ForeignQueue;
import xsched.core.engine.ForeignQueues;
import xsched.core.engine.ScheduledQueue;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.XpuDevice;
import xsched.api.Xsched;
import xsched.api.dto.RuntimeDTO;
import xsched.core.internal.queue.QueueListener;
import xsched.core.internal.queue.ProgressiveQueue;
import xsched.core.internal.sched.SchedulerEngine;
import xsched.spi.hal.Backend;
import xsched.spi.policy.SchedulingPolicy;

/**
 * The runtime service: a whiteboard for backends and policies, the queue table and the scheduler
 * engine. Works as a DS component and, through its public constructor and add/remove methods,
 * embedded in plain Java.
 */
@Component(service = {Xsched.class, ForeignQueues.class}, immediate = true, configurationPid = XschedRuntime.PID)
@Designate(ocd = XschedRuntime.Config.class)
public final class XschedRuntime implements Xsched, ForeignQueues, QueueListener {
    /** Configuration PID. */
    public static final String PID = "xsched.runtime";
    /** Prefix of the framework properties that stand in for configuration properties not set. */
    static final String FRAMEWORK_PREFIX = "xsched.runtime.";

    /** Runtime configuration. */
    @ObjectClassDefinition(name = "xsched runtime", description = "The xsched scheduler runtime")
    public @interface Config {
        /** @return the wanted policy */
        @AttributeDefinition(name = "Policy", description = "Name of the scheduling policy to run (its xsched.policy.name)")
        String policy() default "hpf";

        /** @return the fallback policy */
        @AttributeDefinition(name = "Fallback policy", description = "Policy to run when the wanted one is not installed or goes away")
        String fallback_policy() default "hpf";

        /** @return target filter for policies */
        @AttributeDefinition(name = "Policy filter", description = "LDAP filter limiting which policy services are bound")
        String policies_target() default "(xsched.policy.name=*)";

        /** @return how long a policy call may take, in milliseconds */
        @AttributeDefinition(name = "Policy deadline (ms)", description = "How long one policy call (schedule, hint, reset) may take; "
                + "a policy that overruns it is rejected and the fallback takes over. 0 turns the limit off, e.g. to debug a policy")
        long policy_deadline_ms() default 100;
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(XschedRuntime.class);

    private final SchedulerEngine engine = new SchedulerEngine();
    private final AtomicInteger readyQueues = new AtomicInteger();
    private final Rejections rejections = new Rejections();
    private final BackendRegistry backends = new BackendRegistry(rejections);
    private final PolicyRegistry policies;
    private final Map<Long, ProgressiveQueue> queues = new ConcurrentHashMap<>();
    private final Map<Long, AdmittedQueue> foreign = new ConcurrentHashMap<>();
    private volatile EdgeListener edgeListener;
    private final PreemptionExecutor preemption = new PreemptionExecutor();
    private final PartitionPlacer placer = new PartitionPlacer(backends, queues);
    private final AtomicLong ids = new AtomicLong();
    private final long pid = ProcessHandle.current().pid();

    /** For DS. */
    public XschedRuntime() {
        this("hpf", "hpf");
    }

    /**
     * For embedding without OSGi.
     *
     * @param policy   wanted policy name
     * @param fallback fallback policy name
     */
    public XschedRuntime(String policy, String fallback) {
        this(policy, fallback, SchedulerEngine.DEFAULT_POLICY_DEADLINE);
    }

    /**
     * For embedding without OSGi.
     *
     * @param policy         wanted policy name
     * @param fallback       fallback policy name
     * @param policyDeadline how long one policy call may take before the policy is rejected; zero for no limit
     */
    public XschedRuntime(String policy, String fallback, java.time.Duration policyDeadline) {
        engine.policyDeadline(policyDeadline);
        engine.layouts(placer);
        policies = new PolicyRegistry(engine, rejections, policy, fallback);
    }

    /**
     * Applies the configuration. While ConfigAdmin holds no configuration {@value #PID}, the
     * framework properties {@value #FRAMEWORK_PREFIX}{@code policy} and {@value #FRAMEWORK_PREFIX}{@code
     * fallback.policy} stand in for it ({@code ./xsched daemon --policy ahpf} sets the first); once
     * one exists, it wins, and a framework property it overrides is said in the log.
     */
    @Activate
    @Modified
    void configure(Config config, Map<String, Object> properties, BundleContext context) {
        engine.policyDeadline(java.time.Duration.ofMillis(config.policy_deadline_ms()));
        boolean configured = properties.containsKey(Constants.SERVICE_PID);
        policies.configure(framework(context, "policy", config.policy(), configured),
                framework(context, "fallback.policy", config.fallback_policy(), configured));
    }

    private static String framework(BundleContext context, String key, String configuredValue, boolean configured) {
        String value = context.getProperty(FRAMEWORK_PREFIX + key);
        if (value == null || value.isBlank()) {
            return configuredValue;
        }
        if (configured) {
            if (!value.strip().equals(configuredValue)) {
                LOG.warn("{}{}={} is not used: configuration {} sets {}={}", FRAMEWORK_PREFIX, key, value.strip(), PID, key, configuredValue);
            }
            return configuredValue;
        }
        return value.strip();
    }

    /** Closes every queue and stops the scheduler. */
    @Deactivate
    public void shutdown() {
        policies.closing();
        queues.values().forEach(ProgressiveQueue::close);
        engine.close();
        placer.close();
        preemption.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBackend(Backend backend, ServiceReference<Backend> ref) {
        added(backend, backends.add(backend, ref.getBundle().getSymbolicName(), ref.getBundle().getVersion().toString()));
    }

    void unbindBackend(Backend backend, ServiceReference<Backend> ref) {
        removeBackend(backend);
        Object platform = ref.getProperty(Backend.PLATFORM);
        rejections.remove("backend", String.valueOf(platform), ref.getBundle() == null ? "" : ref.getBundle().getSymbolicName());
    }

    @Reference(name = "policies", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPolicy(SchedulingPolicy policy, ServiceReference<SchedulingPolicy> ref) {
        policies.add(policy, ref.getProperty(SchedulingPolicy.NAME), ref.getBundle().getSymbolicName());
    }

    void unbindPolicy(SchedulingPolicy policy, ServiceReference<SchedulingPolicy> ref) {
        Bundle framework = ref.getBundle() == null ? null : ref.getBundle().getBundleContext() == null ? null
                : ref.getBundle().getBundleContext().getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        if (framework != null && framework.getState() == Bundle.STOPPING) {
            policies.closing();
        }
        policies.remove(policy, ref.getProperty(SchedulingPolicy.NAME), ref.getBundle().getSymbolicName());
    }

    /** @param backend a backend to use (embedded mode) */
    public void addBackend(Backend backend) {
        added(backend, backends.add(backend, "embedded", ""));
    }

    private void added(Backend backend, List<XpuDevice> devices) {
        reattach(backend, devices);
        placer.backendsChanged(devices);
    }

    /**
     * Takes a backend away. Queues on its devices let go of their hardware queues (launched work is
     * waited for; a deactivated queue keeps its log) and wait, READY, for a backend for the same
     * device; nothing pending is lost.
     *
     * @param backend a backend no longer to use
     */
    public void removeBackend(Backend backend) {
        backends.remove(backend).ifPresent(gone -> {
            String reason = "backend '" + gone.backend().platform() + "' (" + gone.bundle() + " " + gone.version()
                    + ") went away; waiting for a backend for this device";
            for (ProgressiveQueue q : queues.values()) {
                if (gone.devices().stream().anyMatch(d -> d.id().equals(q.device().id()))) {
                    detach(q, reason);
                }
            }
            placer.backendsChanged(gone.devices());
        });
    }

    private static void detach(ProgressiveQueue q, String reason) {
        try {
            if (!q.detach(reason, 30_000)) {
                LOG.warn("{} did not let go of its hardware queue within 30 s", q);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reattach(Backend backend, List<XpuDevice> devices) {
        for (XpuDevice device : devices) {
            for (ProgressiveQueue q : queues.values()) {
                if (q.device().id().equals(device.id()) && q.blockedReason() != null) {
                    try {
                        if (!q.attach(backend, device, 30_000)) {
                            LOG.warn("{} could not attach to {}; it keeps waiting", q, device.id());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** @param name policy name @param policy a policy to offer (embedded mode) */
    public void addPolicy(String name, SchedulingPolicy policy) {
        policies.add(policy, name, "embedded");
    }

    /** @param name policy name @param policy a policy to withdraw */
    public void removePolicy(String name, SchedulingPolicy policy) {
        policies.remove(policy, name, "embedded");
    }

    /** @return the engine, for tests and benchmarks */
    public SchedulerEngine engine() {
        return engine;
    }

    /** @return the longest time the scheduler ran without a policy, in nanoseconds */
    public long longestPolicyGapNanos() {
        return policies.longestGapNanos();
    }

    @Override
    public List<XpuDevice> devices() {
        return backends.devices();
    }

    @Override
    public Optional<XpuDevice> device(String deviceId) {
        return backends.device(deviceId);
    }

    @Override
    public XQueue createQueue(String deviceId, QueueOptions options) {
        XpuDevice device = backends.device(deviceId).orElseThrow(() -> new IllegalArgumentException(
                "no device '" + deviceId + "'; devices: " + devices().stream().map(XpuDevice::id).toList()));
        Backend backend = backends.backendOf(deviceId).orElseThrow();
        ProgressiveQueue queue = new ProgressiveQueue(ids.incrementAndGet(), pid, device, backend, options, this, preemption);
        queues.put(queue.id(), queue);
        engine.opened(queue.scheduled());
        placer.queueChanged(deviceId);
        return queue;
    }

    @Override
    public List<XQueue> queues() {
        return Stream.concat(queues.values().stream(), foreign.values().stream().map(AdmittedQueue::queue))
                .sorted(Comparator.comparingLong(XQueue::id)).map(XQueue.class::cast).toList();
    }

    @Override
    public Optional<XQueue> queue(long queueId) {
        XQueue local = queues.get(queueId);
        if (local != null) {
            return Optional.of(local);
        }
        return Optional.ofNullable(foreign.get(queueId)).map(AdmittedQueue::queue);
    }

    @Override
    public void hint(Hint hint) {
        if (hint.target() instanceof HintTarget.Queue(long queueId) && !queues.containsKey(queueId) && !foreign.containsKey(queueId)) {
            throw new IllegalArgumentException("no queue " + queueId + "; queues: " + queues().stream().map(XQueue::id).toList());
        }
        if (hint instanceof Hint.Reservation r && r.given() && r.target() instanceof HintTarget.Queue(long queueId)) {
            placer.check(r, queueId, queues.get(queueId));
        }
        engine.hint(hint);
    }

    @Override
    public <Q extends ForeignQueue> Q admit(LongFunction<Q> factory) {
        Q queue = factory.apply(ids.incrementAndGet());
        AdmittedQueue admitted = new AdmittedQueue(queue);
        if (foreign.putIfAbsent(queue.id(), admitted) != null || queues.containsKey(queue.id())) {
            throw new IllegalArgumentException("the factory made a queue with id " + queue.id() + ", which is taken");
        }
        engine.opened(admitted);
        changed(queue);
        return queue;
    }

    @Override
    public void changed(ForeignQueue queue) {
        AdmittedQueue admitted = foreign.get(queue.id());
        if (admitted == null || admitted.queue() != queue) {
            return;
        }
        int delta = admitted.recount(queue.ready());
        if (delta != 0) {
            readyQueues.addAndGet(delta);
        }
        engine.edge(admitted);
    }

    @Override
    public void remove(ForeignQueue queue) {
        AdmittedQueue admitted = foreign.get(queue.id());
        if (admitted == null || admitted.queue() != queue || !foreign.remove(queue.id(), admitted)) {
            return;
        }
        int delta = admitted.recount(false);
        if (delta != 0) {
            readyQueues.addAndGet(delta);
        }
        engine.closed(admitted);
    }

    @Override
    public Optional<String> activePolicy() {
        return Optional.ofNullable(policies.active());
    }

    @Override
    public void activatePolicy(String name) {
        policies.activate(name);
    }

    @Override
    public RuntimeDTO snapshot() {
        return RuntimeSnapshot.of(pid, backends.bound(), queues(), engine, placer, policies.active(), policies.names(), rejections.list());
    }

    @Override
    public void edge(ScheduledQueue queue) {
        EdgeListener heard = edgeListener;
        if (heard != null) {
            try {
                heard.edge(queue.id(), queue.ready());
            } catch (Throwable t) {
                LOG.warn("edge listener {} failed on queue {}", heard, queue.id(), t);
            }
        }
        engine.edge(queue);
    }

    /** @param listener hears every edge told to the scheduler, first; null for none */
    public void edgeListener(EdgeListener listener) {
        edgeListener = listener;
    }

    /**
     * Counts READY queues: a queue's edge must be told at once unless it is the only READY queue
     * and the active policy decides nothing for a lone queue; then the submit that made it READY
     * wakes no scheduler thread.
     */
    @Override
    public boolean turnedReady() {
        return readyQueues.incrementAndGet() > 1 || !engine.lazyEdges();
    }

    @Override
    public void turnedIdle() {
        readyQueues.decrementAndGet();
    }

    @Override
    public void closed(ScheduledQueue queue) {
        queues.remove(queue.id());
        engine.closed(queue);
        placer.queueChanged(queue.deviceId());
    }
}
