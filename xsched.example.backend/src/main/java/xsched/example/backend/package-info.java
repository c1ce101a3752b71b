/** An example vendor backend: the exported command type applications submit to its queues. */
@Export
@Version("0.1.0")
package xsched.example.backend;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
