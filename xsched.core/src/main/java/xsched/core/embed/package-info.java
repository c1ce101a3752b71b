/**
 * Embedding xsched in plain Java, without an OSGi framework: an
 * {@link xsched.core.embed.EmbeddedXsched} is the full runtime (queues, scheduler engine,
 * backend and policy whiteboards) built from backends and policies the application hands it.
 * Tests, benchmarks and applications that do not run a framework use this package instead of
 * the core's internals.
 *
 * <pre>{@code
 * try (HostBackend host = new HostBackend(1, PreemptLevel.INTERRUPT);
 *      EmbeddedXsched xsched = EmbeddedXsched.builder()
 *              .backend(host)
 *              .policy("hpf", new HighestPriorityFirst())
 *              .build()) {
 *     XQueue q = xsched.createQueue("host:0", QueueOptions.defaults().withName("fg"));
 *     xsched.hint(new Hint.Priority(HintTarget.queue(q.id()), 10));
 *     q.submit(HostTask.of("hello", () -> System.out.println("hello")));
 *     q.awaitAll();
 * }
 * }</pre>
 */
@Export
@Version("0.2.0")
package xsched.core.embed;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
