/**
 * The xsched runtime API: the {@link xsched.api.Xsched} service, preemptible
 * {@link xsched.api.XQueue}s in front of vendor command queues, devices and scheduling hints.
 */
@Export
@Version("0.7.0")
package xsched.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
