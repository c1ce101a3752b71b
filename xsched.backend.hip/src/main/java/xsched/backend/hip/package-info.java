/**
 * AMD GPUs for xsched through the HIP runtime ({@code libamdhip64}): open a {@link
 * xsched.backend.hip.HipPlatform} (or get a {@link xsched.backend.hip.HipDevice} service in OSGi),
 * load {@link xsched.backend.hip.HipModule}s from code objects, allocate {@link
 * xsched.backend.hip.HipBuffer}s and build commands — {@link xsched.backend.hip.KernelLaunch},
 * {@link xsched.backend.hip.MemoryCopy}, {@link xsched.backend.hip.MemorySet} — submitted to an
 * XQueue on device {@code hip:N}. Commands capture their arguments when built and are checked then
 * (launch geometry against the device, arguments against the kernel's code object metadata); the
 * queue's HIP stream runs them at level 1 (progressive launching over events).
 *
 * <p>The package is exported and imported (substitutable, {@code CONSUMER}), as the CUDA and OpenCL
 * backends' are: after an update of the bundle without a refresh, commands applications built
 * before the update still run on the new backend's queues.
 */
@Export(substitution = Export.Substitution.CONSUMER)
@Version("0.1.0")
package xsched.backend.hip;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
