package xsched.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.dictionary.Dictionaries;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.Xsched;
import xsched.example.backend.ExampleBackend;
import xsched.spi.hal.Backend;

/**
 * A vendor's backend, registered at run time against the exported SPI only: its device appears,
 * queues run on it in order, survive its withdrawal and return, and a malformed backend is
 * rejected with a reason instead of breaking the runtime.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ThirdPartyBackendTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    Xsched xsched;

    private ServiceRegistration<Backend> register(Backend backend) {
        return context.registerService(Backend.class, backend,
                Dictionaries.dictionaryOf(Backend.PLATFORM, ExampleBackend.PLATFORM, Backend.PREEMPT_LEVEL_MAX, 1));
    }

    @Test
    void aVendorBackendRunsQueuesAndCanBeWithdrawnAndReturned() throws Exception {
        ServiceRegistration<Backend> reg = register(new ExampleBackend(ExampleBackend.PLATFORM));
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        XQueue q;
        try {
            assertTrue(xsched.device("example:0").isPresent(), "the vendor's device is listed");
            q = xsched.createQueue("example:0", QueueOptions.defaults().withName("vendor"));
            for (int i = 0; i < 100; i++) {
                int n = i;
                q.submit(new ExampleBackend.Command(() -> order.add(n)));
            }
            q.awaitAll();
        } finally {
            reg.unregister();
        }
        assertTrue(xsched.snapshot().queues.stream().anyMatch(d -> d.name.equals("vendor") && d.blockedReason != null),
                "the queue waits for its backend: " + xsched.snapshot().queues);
        for (int i = 100; i < 200; i++) {
            int n = i;
            q.submit(new ExampleBackend.Command(() -> order.add(n)));
        }
        reg = register(new ExampleBackend(ExampleBackend.PLATFORM));
        try {
            q.awaitAll();
            assertEquals(200, order.size());
            for (int i = 0; i < 200; i++) {
                assertEquals(i, order.get(i), "order kept across the withdrawal");
            }
        } finally {
            q.close();
            reg.unregister();
        }
    }

    @Test
    void aMalformedBackendIsRejectedWithAReason() {
        ServiceRegistration<Backend> reg = register(new ExampleBackend("somethingelse"));
        try {
            assertTrue(xsched.device("example:0").isEmpty());
            assertTrue(xsched.snapshot().rejected.stream().anyMatch(r -> r.type.equals("backend") && r.reason.contains("claims platform")),
                    "rejected with a reason: " + xsched.snapshot().rejected);
        } finally {
            reg.unregister();
        }
        assertTrue(xsched.snapshot().rejected.stream().noneMatch(r -> r.name.equals(ExampleBackend.PLATFORM)),
                "a withdrawn backend's rejection is forgotten: " + xsched.snapshot().rejected);
    }
}
