package xsched.example.backend.internal;

import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import xsched.example.backend.ExampleBackend;
import xsched.spi.hal.Backend;

/**
 * Registers an {@link ExampleBackend} while this bundle is active, with the service properties
 * the runtime reads: what a vendor's bundle does when installed from the console.
 */
@Component(service = {}, immediate = true)
public final class ExampleBackendComponent {
    private ServiceRegistration<Backend> registration;

    @Activate
    void activate(BundleContext context) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Backend.PLATFORM, ExampleBackend.PLATFORM);
        props.put(Backend.PREEMPT_LEVEL_MAX, 1);
        registration = context.registerService(Backend.class, new ExampleBackend(ExampleBackend.PLATFORM), props);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
