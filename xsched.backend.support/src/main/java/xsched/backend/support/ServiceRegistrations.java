package xsched.backend.support;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services a backend component registered on activation (itself as the backend, each device
 * for applications), unregistered together on deactivation. Thread-safe.
 */
public final class ServiceRegistrations {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceRegistrations.class);

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    /** Registers {@code service} under {@code type} with {@code properties}. */
    public synchronized <S> void register(BundleContext context, Class<S> type, S service, Dictionary<String, ?> properties) {
        registrations.add(context.registerService(type, service, properties));
    }

    /** @return whether any service is registered */
    public synchronized boolean any() {
        return !registrations.isEmpty();
    }

    /** Unregisters every service, skipping those the framework already took away. */
    public synchronized void unregisterAll() {
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                LOG.debug("service already unregistered", alreadyGone);
            }
        }
        registrations.clear();
    }
}
