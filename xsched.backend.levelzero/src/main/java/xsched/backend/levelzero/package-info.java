/**
 * Intel GPUs (and, through {@code xsched.backend.npu}, Intel NPUs) for xsched through the Level Zero
 * loader: open a {@link xsched.backend.levelzero.ZePlatform} of a {@link
 * xsched.backend.levelzero.ZeDeviceType} (or get a {@link xsched.backend.levelzero.ZeDevice} service
 * in OSGi), build modules from SPIR-V, allocate {@link xsched.backend.levelzero.ZeBuffer}s (device or
 * host memory) and build commands — {@link xsched.backend.levelzero.KernelLaunch}, {@link
 * xsched.backend.levelzero.MemoryCopy} — submitted to an XQueue on device {@code levelzero:N} or
 * {@code npu:N}. Commands capture their arguments when built; the queue's command list runs them at
 * level 1 (progressive launching over events).
 *
 * <p>The package is exported and imported (substitutable, {@code CONSUMER}), as the CUDA backend's:
 * after an update of the bundle without a refresh, commands applications built before the update
 * still run on the new backend's queues.
 */
@Export(substitution = Export.Substitution.CONSUMER)
@Version("0.1.0")
package xsched.backend.levelzero;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
