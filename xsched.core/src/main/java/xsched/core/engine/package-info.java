/**
 * The scheduler engine for callers that drive it themselves: a {@link xsched.core.engine.SteppedScheduler}
 * runs the same round as the runtime's scheduler thread (queue events, due timers, one policy run,
 * decisions applied) but only when asked, on the caller's thread and on the caller's
 * {@link xsched.core.engine.EngineClock}. The policy test kit plays scripts on it; queues are
 * {@link xsched.core.engine.ScheduledQueue}s the caller implements.
 */
@Export
@Version("0.3.0")
package xsched.core.engine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
