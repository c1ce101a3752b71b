package xsched.backend.cuda;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** A BundleContext that records service registrations; every other method is unsupported. */
public final class RecordingBundleContext {
    /** One registration. @param type the service interface @param service the object @param properties its properties */
    public record Registration(Class<?> type, Object service, Map<String, Object> properties) {
    }

    private final List<Registration> registered = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger unregistered = new AtomicInteger();

    /** @return the context to hand the component */
    public BundleContext proxy() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args[0] instanceof Class<?> type) {
                        Map<String, Object> props = new HashMap<>();
                        Dictionary<?, ?> dict = (Dictionary<?, ?>) args[2];
                        for (var keys = dict.keys(); keys.hasMoreElements(); ) {
                            Object key = keys.nextElement();
                            props.put((String) key, dict.get(key));
                        }
                        registered.add(new Registration(type, args[1], props));
                        return registration();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private ServiceRegistration<?> registration() {
        return (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("unregister")) {
                        unregistered.incrementAndGet();
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** @return registrations so far */
    public List<Registration> registered() {
        return List.copyOf(registered);
    }

    /** @return unregister calls so far */
    public int unregistered() {
        return unregistered.get();
    }
}
