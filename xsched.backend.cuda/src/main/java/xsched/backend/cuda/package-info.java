/**
 * NVIDIA GPUs for xsched through the CUDA driver API: open a {@link xsched.backend.cuda.CudaPlatform}
 * (or get a {@link xsched.backend.cuda.CudaGpu} service in OSGi), load modules from PTX, cubin or
 * fatbin, allocate {@link xsched.backend.cuda.DeviceBuffer}s, and build commands —
 * {@link xsched.backend.cuda.KernelLaunch}, {@link xsched.backend.cuda.MemoryCopy},
 * {@link xsched.backend.cuda.MemorySet}, {@link xsched.backend.cuda.EventRecord},
 * {@link xsched.backend.cuda.EventWait} — that are submitted to an XQueue on device {@code cuda:N}.
 * Commands capture their arguments when built and are launched later by the queue's launch
 * worker, with preempt level 1 (progressive launching over CUDA events).
 *
 * <p>The package is exported and imported (substitutable, {@code CONSUMER}): after an update of
 * this bundle without a refresh, the new revision takes these classes from the revision the
 * applications are wired to, so commands they built before the update still run on the new
 * backend's queues. bnd would not import it by itself, since the package calls private ones.
 */
@Export(substitution = Export.Substitution.CONSUMER)
@Version("0.4.0")
package xsched.backend.cuda;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
