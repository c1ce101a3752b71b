/**
 * The CUDA backend for applications that embed xsched without OSGi: {@link
 * xsched.backend.cuda.embed.CudaBackends#over(xsched.backend.cuda.CudaPlatform)}.
 */
@Export
@Version("0.4.0")
package xsched.backend.cuda.embed;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
