/**
 * Data transfer objects describing a running xsched runtime: backends, devices, queues,
 * the active policy and rejected plugins. One snapshot type feeds the shell, tests and monitoring.
 */
@Export
@Version("0.5.0")
package xsched.api.dto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
