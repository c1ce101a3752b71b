package xsched.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import xsched.api.Outcome;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.XpuDevice;
import xsched.api.Xsched;
import xsched.backend.host.HostKernel;
import xsched.backend.host.HostKernels;

/** The runtime's bundles resolve, its components activate, and a queue runs a host kernel. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RuntimeWiringTest {
    static final Duration SCR_TIMEOUT = Duration.ofSeconds(10);

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    Xsched xsched;

    @InjectService(timeout = 10_000)
    ServiceComponentRuntime scr;

    @Test
    void everyBundleIsActiveOrAResolvedFragment() {
        List<String> wrong = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                wrong.add(b.getSymbolicName() + " " + b.getVersion() + " state " + b.getState());
            }
        }
        assertEquals(List.of(), wrong, "bundles not ACTIVE (fragments: not RESOLVED)");
        for (String bsn : List.of("xsched.api", "xsched.core", "xsched.backend.host", "xsched.policy.hpf",
                "org.apache.felix.scr", "org.apache.felix.configadmin")) {
            assertTrue(Arrays.stream(context.getBundles()).anyMatch(b -> bsn.equals(b.getSymbolicName())), bsn + " is installed");
        }
    }

    @Test
    void everyXschedComponentIsSatisfiedOrActive() throws InterruptedException {
        Eventually.until("every component of every xsched bundle is ACTIVE or SATISFIED", SCR_TIMEOUT,
                () -> unhappyComponents().isEmpty(), this::unhappyComponents);
        // the core's runtime component, found by the service it provides rather than by its (internal) class name
        ComponentDescriptionDTO runtime = scr.getComponentDescriptionDTOs(bundle("xsched.core")).stream()
                .filter(d -> Arrays.asList(d.serviceInterfaces).contains(Xsched.class.getName())).findFirst().orElseThrow();
        assertEquals(List.of(ComponentConfigurationDTO.ACTIVE),
                scr.getComponentConfigurationDTOs(runtime).stream().map(c -> c.state).toList(), "runtime component state");
    }

    private List<String> unhappyComponents() {
        List<String> unhappy = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().startsWith("xsched.")) {
                for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                    var configs = scr.getComponentConfigurationDTOs(d);
                    if (configs.isEmpty()) {
                        unhappy.add(d.name + ": no configuration (disabled?)");
                    }
                    for (ComponentConfigurationDTO c : configs) {
                        if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                            unhappy.add(d.name + ": state " + c.state + (c.failure == null ? "" : " " + c.failure));
                        }
                    }
                }
            }
        }
        return unhappy;
    }

    @Test
    void hostDeviceAndHpfPolicyAreBound() throws InterruptedException {
        Eventually.until("device host:0", SCR_TIMEOUT, () -> xsched.device("host:0").isPresent(), xsched::devices);
        XpuDevice host = xsched.device("host:0").orElseThrow();
        assertEquals("host", host.platform());
        Eventually.until("policy hpf active", SCR_TIMEOUT, () -> xsched.activePolicy().equals(Optional.of("hpf")), xsched::activePolicy);
        assertTrue(xsched.snapshot().policies.containsAll(PolicyHotSwapTest.POLICIES), () -> "installed: " + xsched.snapshot().policies);
    }

    @Test
    void aQueueRunsAHostKernelToCompletion() throws Exception {
        Eventually.until("device host:0", SCR_TIMEOUT, () -> xsched.device("host:0").isPresent(), xsched::devices);
        int n = 10_000;
        float[] a = new float[n];
        float[] b = new float[n];
        float[] c = new float[n];
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
            b[i] = 2 * i + 1;
            expected[i] = 3 * i + 1;
        }
        try (XQueue q = xsched.createQueue("host:0", QueueOptions.defaults().withName("itest-wiring"))) {
            assertTrue(xsched.queue(q.id()).isPresent(), "the runtime lists the new queue");
            HostKernel kernel = HostKernels.vectorAdd(a, b, c, 8);
            long seq = q.submit(kernel);
            assertEquals(Outcome.COMPLETED, q.await(seq, Duration.ofSeconds(10)), () -> "failure: " + q.failure(seq));
            assertEquals(8, kernel.blocksRun());
            assertArrayEquals(expected, c);
            assertEquals(1, q.finished());
        }
    }

    private Bundle bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst().orElseThrow();
    }
}
