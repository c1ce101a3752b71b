/**
 * The backend conformance kit: behavioural JUnit 5 tests that any {@link xsched.spi.hal.Backend}
 * must pass, run through the real xsched core ({@code EmbeddedXsched}). A vendor extends {@link
 * xsched.backend.testkit.BackendConformance} in a test class and supplies a {@link
 * xsched.backend.testkit.ConformanceTarget}: how to make a backend, and {@link
 * xsched.backend.testkit.Marks} — small commands of the backend's own kind that record that they ran
 * and in which order. See {@code docs/backends.md}, "The conformance kit".
 */
@Export
@Version("0.1.0")
package xsched.backend.testkit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
