/**
 * The scheduling-policy SPI: a {@link xsched.spi.policy.SchedulingPolicy} is a pure decision
 * function over a {@link xsched.spi.policy.SchedulerStatus} snapshot, acting only through the
 * {@link xsched.spi.policy.PolicyContext} the core hands it.
 */
@Export
@Version("0.3.0")
package xsched.spi.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
