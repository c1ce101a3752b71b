package xsched.spi.hal;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type a backend puts on its component class to publish its
 * {@link Backend#PLATFORM} and {@link Backend#PREEMPT_LEVEL_MAX} service properties.
 */
@ComponentPropertyType
public @interface BackendProperties {
    /** Prefix making the element names the dotted property keys. */
    String PREFIX_ = "xsched.";

    /** @return the platform name ({@code xsched.platform}) */
    String platform();

    /** @return the highest preempt level ({@code xsched.preempt.level.max}) */
    int preempt_level_max();
}
