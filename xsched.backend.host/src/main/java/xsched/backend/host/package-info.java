/**
 * The host CPU as an XPU. Its devices execute {@link xsched.backend.host.HostKernel}s (a grid of
 * blocks of Java code) and {@link xsched.backend.host.HostTask}s like an accelerator does: one
 * engine (one worker thread, or several: {@link xsched.backend.host.HostBackend.Config#workers()}) per
 * device runs launched work in launch order across all of the device's queues,
 * asynchronously, with completion observed through sync points. All three preempt levels are real:
 * deactivation stops a kernel between blocks with every block run exactly once, and interruption
 * abandons a running block of an idempotent kernel at its next {@link xsched.backend.host.BlockContext#preempted()}
 * check and redoes it on restore.
 */
@Export
@Version("0.2.0")
package xsched.backend.host;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
