package xsched.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import xsched.backend.cuda.internal.ffm.CudaLibrary;

/**
 * The fake CUDA device ({@code xsched.run/src/test/c/fake_device.c}) for the {@code fake-device}
 * tests: built once per JVM with the C compiler (the tests skip without one), then opened as the
 * platform. Only in the pom's {@code fake-device-test} execution, whose JVM loads the fake in
 * place of the driver ({@value CudaLibrary#PATH_PROPERTY}).
 */
final class FakeCudaDevice {
    private static final Path OUT = Path.of("target", "fake-device");
    private static CudaPlatform platform;
    private static String unavailable;

    private FakeCudaDevice() {
    }

    /** @return the platform over the fake device; skips the calling test where it cannot be built */
    static synchronized CudaPlatform platform() {
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

    /**
     * Reads one of the fake's counters ({@code fake_blocked_waits}, {@code fake_guarded_stops}, …).
     *
     * @param name the counter function, {@code long name(void)}
     * @return its value, or -1 where no fake device was built in this JVM (its tests were skipped)
     */
    static long counter(String name) {
        String library = System.getProperty(CudaLibrary.PATH_PROPERTY);
        if (platform == null || library == null) {
            return -1;
        }
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup fake = SymbolLookup.libraryLookup(Path.of(library), arena);
            return (long) Linker.nativeLinker().downcallHandle(fake.findOrThrow(name), FunctionDescriptor.of(ValueLayout.JAVA_LONG))
                    .invokeExact();
        } catch (Throwable t) {
            throw new AssertionError("cannot read the fake device's " + name, t);
        }
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
}
