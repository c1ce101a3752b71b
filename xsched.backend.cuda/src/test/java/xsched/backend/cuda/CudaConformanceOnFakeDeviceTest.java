package xsched.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import xsched.api.XpuDevice;
import xsched.backend.cuda.embed.CudaBackends;
import xsched.backend.cuda.internal.ffm.CudaLibrary;
import xsched.backend.testkit.BackendConformance;
import xsched.backend.testkit.ConformanceTarget;
import xsched.backend.testkit.Marks;
import xsched.spi.hal.Backend;

/**
 * The backend conformance kit on the fake CUDA device ({@code xsched.run/src/test/c/fake_device.c},
 * built here with the C compiler; skipped without one), so the real CUDA backend's queues, event
 * sync points, launch path and error handling are checked in CI, where there is no GPU. The fake
 * runs each stream's operations in order as soon as they can run, and runs the kit's {@code mark} kernel as
 * {@code conformance/marks.cu} defines it. Level 1 here, level 2 (stream gates: the fake holds a
 * stream behind a wait for a word not yet written) in {@link GatedConformanceOnFakeDeviceTest}.
 * Runs in a JVM of its own ({@code fake-device} tag: the pom's {@code
 * fake-device-test} execution points {@value CudaLibrary#PATH_PROPERTY} at the fake).
 */
@Tag("fake-device")
class CudaConformanceOnFakeDeviceTest extends BackendConformance {
    private static final Path OUT = Path.of("target", "fake-device");
    private static CudaPlatform platform;
    private static String unavailable;

    private static synchronized CudaPlatform platform() {
        if (platform == null && unavailable == null) {
            unavailable = build();
            if (unavailable == null) {
                assertThat(System.getProperty(CudaLibrary.PATH_PROPERTY)).as("the fake library this JVM loads")
                        .isEqualTo(OUT.toAbsolutePath().resolve("libcuda.so.1").toString());
                try {
                    platform = CudaPlatform.open();
                } catch (CudaUnavailableException e) {
                    throw new AssertionError("the CUDA backend refused the fake device it was built for", e);
                }
            }
        }
        assumeTrue(platform != null, () -> "skipped: " + unavailable);
        return platform;
    }

    /** @return why the fake could not be built, or null once it is */
    private static String build() {
        try {
            Process cc = new ProcessBuilder("bash", "-c", "command -v \"${CC:-cc}\"").redirectErrorStream(true).start();
            cc.getInputStream().transferTo(OutputStream.nullOutputStream());
            if (cc.waitFor() != 0) {
                return "no C compiler (cc, or $CC): the fake device cannot be built";
            }
            Path log = Files.createDirectories(OUT).resolve("build-fake-device.log");
            Path script = Path.of("..", "xsched.run", "src", "test", "c", "build-fake-device.sh");
            Process build = new ProcessBuilder("bash", script.toString(), OUT.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(build.waitFor(300, TimeUnit.SECONDS)).as("build-fake-device.sh ends").isTrue();
            assertThat(build.exitValue()).as(Files.readString(log)).isZero();
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the fake device", e);
        }
    }

    @Override
    protected ConformanceTarget target() {
        CudaPlatform p = platform();
        return new ConformanceTarget() {
            @Override
            public Backend newBackend() {
                return CudaBackends.over(p, gates());
            }

            @Override
            public Marks marks(XpuDevice device, int capacity) {
                return new CudaMarks(p.gpus().stream().filter(g -> g.id().equals(device.id())).findFirst().orElseThrow(), capacity,
                        preemptibleMarks());
            }
        };
    }

    /** @return whether queues are gated (level 2, stream gates) where the device supports it; level 1 otherwise */
    protected boolean gates() {
        return false;
    }

    /** @return whether the marks are loaded preemptible (rewritten by the PTX guardian) */
    protected boolean preemptibleMarks() {
        return false;
    }
}
