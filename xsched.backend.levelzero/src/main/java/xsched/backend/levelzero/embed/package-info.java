/** The Level Zero GPU backend for embedding xsched without OSGi. */
@Export
@Version("0.1.0")
package xsched.backend.levelzero.embed;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
