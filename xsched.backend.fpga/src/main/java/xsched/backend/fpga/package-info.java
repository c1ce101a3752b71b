/**
 * OpenCL devices for xsched — FPGAs (accelerator devices), and GPUs and CPUs an OpenCL driver
 * offers — through the ICD loader: open an {@link xsched.backend.fpga.OpenClPlatform} (or get an
 * {@link xsched.backend.fpga.OpenClDevice} service in OSGi), build programs from source or from
 * binaries (FPGA bitstreams), allocate {@link xsched.backend.fpga.OpenClBuffer}s and build commands
 * — {@link xsched.backend.fpga.NDRangeLaunch}, {@link xsched.backend.fpga.BufferWrite},
 * {@link xsched.backend.fpga.BufferRead}, {@link xsched.backend.fpga.BufferCopy},
 * {@link xsched.backend.fpga.Marker} — submitted to an XQueue on device {@code opencl:N}. Commands
 * capture their arguments when built; the queue's in-order command queue runs them at level 1
 * (progressive launching over marker events).
 *
 * <p>The package is exported and imported (substitutable, {@code CONSUMER}), as the CUDA backend's:
 * after an update of the bundle without a refresh, commands applications built before the update
 * still run on the new backend's queues.
 */
@Export(substitution = Export.Substitution.CONSUMER)
@Version("0.1.0")
package xsched.backend.fpga;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
