package xsched.core.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import xsched.core.testing.TestPriorityPolicy;

/** Which policy the runtime wants: its configuration, or, while there is none, the framework properties. */
class RuntimeConfigurationTest {
    private final XschedRuntime runtime = new XschedRuntime("first", "first");

    RuntimeConfigurationTest() {
        runtime.addPolicy("first", new TestPriorityPolicy());
        runtime.addPolicy("second", new TestPriorityPolicy());
        runtime.addPolicy("third", new TestPriorityPolicy());
    }

    @AfterEach
    void stop() {
        runtime.shutdown();
    }

    private static XschedRuntime.Config config(String policy) {
        return (XschedRuntime.Config) Proxy.newProxyInstance(RuntimeConfigurationTest.class.getClassLoader(),
                new Class<?>[] {XschedRuntime.Config.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "policy" -> policy;
                    case "fallback_policy" -> "first";
                    case "policies_target" -> "(xsched.policy.name=*)";
                    case "policy_deadline_ms" -> 100L;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static BundleContext framework(Map<String, String> properties) {
        return (BundleContext) Proxy.newProxyInstance(RuntimeConfigurationTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return properties.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void withoutAConfigurationTheFrameworkPropertyPicksThePolicy() {
        runtime.configure(config("first"), Map.of(), framework(Map.of("xsched.runtime.policy", " second ")));
        assertThat(runtime.snapshot().activePolicy).isEqualTo("second");
    }

    @Test
    void aConfigurationWinsOverTheFrameworkProperty() {
        runtime.configure(config("third"), Map.of(Constants.SERVICE_PID, XschedRuntime.PID),
                framework(Map.of("xsched.runtime.policy", "second")));
        assertThat(runtime.snapshot().activePolicy).isEqualTo("third");
    }

    @Test
    void withNeitherTheDefaultHolds() {
        runtime.configure(config("first"), Map.of(), framework(Map.of("xsched.runtime.policy", "  ")));
        assertThat(runtime.snapshot().activePolicy).isEqualTo("first");
    }
}
