package xsched.backend.levelzero;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import xsched.backend.levelzero.internal.ze.ZeNative;

/**
 * The fake Level Zero driver of this test run ({@code fake_ze_driver.c}, a test resource), which the
 * real loader loads because the build runs the {@code *OnFakeDriverTest} classes in a JVM of their
 * own with {@code ZE_ENABLE_ALT_DRIVERS} naming a file. The loader reads that variable only at the
 * first {@code zeInit}, so the first test here compiles the driver to that file (with {@code cc},
 * against {@code libze-dev}'s headers) before anything initializes the loader. Tests call {@link
 * #platform(ZeDeviceType)}, which skips them (a JUnit assumption) where there is no variable, no
 * compiler, no header or no loader, and opens each platform once per JVM.
 */
public final class FakeDriver {
    /** The loader's variable naming the drivers to load instead of Intel's. */
    public static final String ENV = "ZE_ENABLE_ALT_DRIVERS";

    private static final Map<ZeDeviceType, ZePlatform> PLATFORMS = new EnumMap<>(ZeDeviceType.class);
    private static String unavailable;
    private static boolean built;

    private FakeDriver() {
    }

    /** Skips the calling test unless this JVM runs with the fake driver (built now if need be) and the loader. */
    public static synchronized void assumePresent() {
        String path = System.getenv(ENV);
        assumeTrue(path != null && !path.isBlank(), "not the fake-driver test run (" + ENV + " is not set)");
        if (!built && unavailable == null) {
            build(Path.of(path));
        }
        assumeTrue(unavailable == null, () -> "no fake Level Zero driver: " + unavailable);
        assumeTrue(ZeNative.library().present(), () -> "no Level Zero loader: " + ZeNative.library().absentReason().orElse(""));
    }

    private static void build(Path target) {
        String cc = System.getenv().getOrDefault("CC", "cc");
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path source = Files.createTempFile("fake_ze_driver", ".c");
            try (InputStream in = FakeDriver.class.getResourceAsStream("fake_ze_driver.c")) {
                Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
            }
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            Process p;
            try {
                p = new ProcessBuilder(List.of(cc, "-std=c11", "-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror",
                        "-o", partial.toString(), source.toString(), "-lpthread")).redirectErrorStream(true).start();
            } catch (IOException e) {
                unavailable = "no C compiler '" + cc + "' (Debian: apt-get install gcc libc6-dev): " + e.getMessage();
                System.out.println("[levelzero tests] SKIPPING the fake-driver tests: " + unavailable);
                return;
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                if (output.contains("level_zero/") && output.contains("No such file")) {
                    unavailable = "no Level Zero headers (Debian: apt-get install libze-dev): " + output.strip();
                    System.out.println("[levelzero tests] SKIPPING the fake-driver tests: " + unavailable);
                    return;
                }
                throw new IllegalStateException("the fake driver did not compile:\n" + output);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(source);
            built = true;
            System.out.println("[levelzero tests] built the fake driver " + target + " with " + cc);
        } catch (IOException e) {
            throw new IllegalStateException("could not build the fake driver: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the platform of {@code type} on the fake driver, opened once; skips the calling test without the driver */
    public static synchronized ZePlatform platform(ZeDeviceType type) {
        assumePresent();
        ZePlatform platform = PLATFORMS.get(type);
        if (platform == null) {
            try {
                platform = ZePlatform.open(type);
            } catch (ZeUnavailableException e) {
                throw new IllegalStateException("the fake driver was built but " + e.getMessage(), e);
            }
            System.out.println("[levelzero tests] fake driver " + System.getenv(ENV) + ": " + platform.describe());
            platform.devices().forEach(d -> System.out.println("[levelzero tests]   " + d));
            PLATFORMS.put(type, platform);
        }
        return platform;
    }
}
