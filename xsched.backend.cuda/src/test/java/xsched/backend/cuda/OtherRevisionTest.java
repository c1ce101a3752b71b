package xsched.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;
import xsched.spi.hal.HwCommand;

/**
 * A bundle update without a refresh leaves applications on the old revision's classes: their
 * commands are not this revision's {@link CudaCommand}s. Simulated with a second class loader over
 * the backend's classes; the queue refuses such a command and says what happened.
 */
class OtherRevisionTest {
    /** Loads {@code xsched.backend.cuda.*} itself (another revision), everything else from the parent (the API). */
    private static final class Revision extends URLClassLoader {
        Revision() {
            super(new URL[] {CudaCommand.class.getProtectionDomain().getCodeSource().getLocation()},
                    OtherRevisionTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("xsched.backend.cuda.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }
    }

    @Test
    void aCommandOfAnotherRevisionIsRefusedWithTheReason() throws Exception {
        try (Revision revision = new Revision()) {
            Class<?> gpuType = revision.loadClass(CudaGpu.class.getName());
            Class<?> waitType = revision.loadClass(HostWait.class.getName());
            Class<?> bufferType = revision.loadClass(DeviceBuffer.class.getName());
            Constructor<?> newGpu = gpuType.getDeclaredConstructor(int.class, int.class, long.class, String.class, int.class,
                    int.class, int.class, long.class, waitType);
            newGpu.setAccessible(true);
            Object gpu = newGpu.newInstance(0, 0, 0L, "Fake GPU 0", 9, 0, 132, 80L << 30, waitType.getEnumConstants()[0]);
            Constructor<?> newBuffer = bufferType.getDeclaredConstructor(gpuType, long.class, long.class);
            newBuffer.setAccessible(true);
            Object buffer = newBuffer.newInstance(gpu, 0x1000L, 64L);
            HwCommand oldRevision = (HwCommand) revision.loadClass(MemorySet.class.getName())
                    .getMethod("int8", bufferType, long.class, byte.class, long.class).invoke(null, buffer, 0L, (byte) 1, 4L);

            assertThat(oldRevision.getClass().getName()).isEqualTo(MemorySet.class.getName());
            assertThat(oldRevision).isNotInstanceOf(CudaCommand.class);
            assertThatThrownBy(() -> CudaCommand.admit(oldRevision, FakeGpu.gpu(0))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("command 'memset8 4 B' (xsched.backend.cuda.MemorySet) comes from another revision")
                    .hasMessageEndingWith("refresh the bundles that import xsched.backend.cuda");
        }
    }
}
