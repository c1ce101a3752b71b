/**
 * Helpers for testing a {@link xsched.spi.policy.SchedulingPolicy} without a framework, devices
 * or threads: {@link xsched.policy.testkit.RecordingContext} records what one
 * {@code schedule} call decides, {@link xsched.policy.testkit.RecordingPlacement} what one
 * {@code place} call decides, {@link xsched.policy.testkit.ScriptedEngine} drives the real engine
 * on a simulated clock, and {@link xsched.policy.testkit.Hints},
 * {@link xsched.policy.testkit.QueueStatusBuilder} and
 * {@link xsched.policy.testkit.SchedulerStatusBuilder} build the inputs. Nothing here depends on
 * a test framework; failures are reported as {@link java.lang.AssertionError}.
 */
@Export
@Version("0.4.0")
package xsched.policy.testkit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
