/** The Intel NPU backend for embedding xsched without OSGi. */
@Export
@Version("0.1.0")
package xsched.backend.npu.embed;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
