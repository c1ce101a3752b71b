/**
 * The scheduling-policy SPI: a {@link xsched.spi.policy.SchedulingPolicy} is a pure decision
 * function over a {@link xsched.spi.policy.SchedulerStatus} snapshot, acting only through the
 * {@link xsched.spi.policy.PolicyContext} the core hands it; a
 * {@link xsched.spi.policy.SchedulingPolicy.Placing} policy also places queues on device partitions
 * through a {@link xsched.spi.policy.PlacementContext}.
 */
@Export
@Version("0.7.0")
package xsched.spi.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
