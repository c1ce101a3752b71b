/**
 * The hardware abstraction layer that vendor backends implement: a {@link xsched.spi.hal.Backend}
 * per platform, a {@link xsched.spi.hal.HwQueue} per vendor command queue, with preemption
 * capabilities expressed by type ({@link xsched.spi.hal.HwQueue.Deactivatable} for level 2,
 * {@link xsched.spi.hal.HwQueue.Interruptible} for level 3), and compute-unit partitions as an
 * optional capability of a backend ({@link xsched.spi.hal.Backend.Partitioned}).
 */
@Export
@Version("0.4.0")
package xsched.spi.hal;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
