/**
 * Node scheduling for applications: {@link xsched.daemon.NodeClient} connects an embedded xsched
 * runtime to the node daemon, which schedules every process's queues with one policy.
 */
@Export
@Version("0.1.0")
package xsched.daemon;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
