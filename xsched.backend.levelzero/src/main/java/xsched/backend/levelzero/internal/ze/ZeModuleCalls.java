package xsched.backend.levelzero.internal.ze;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static xsched.backend.levelzero.internal.ze.LevelZero.call;
import static xsched.backend.levelzero.internal.ze.LevelZero.check;
import static xsched.backend.levelzero.internal.ze.LevelZero.rethrow;
import static xsched.backend.levelzero.internal.ze.ZeStructs.KERNEL_PROPERTIES;
import static xsched.backend.levelzero.internal.ze.ZeStructs.getInt;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Level Zero API as xsched uses it, part three: modules (SPIR-V or native), their build logs,
 * kernels, and a kernel's group size and arguments. Arguments and group size live on the kernel
 * object until a launch is appended ({@link ZeQueueCalls#appendLaunch}), which copies them.
 */
public final class ZeModuleCalls {
    /** {@code ze_module_format_t}: SPIR-V. */
    public static final int MODULE_FORMAT_IL_SPIRV = 0;
    /** {@code ze_module_format_t}: the device's native binary. */
    public static final int MODULE_FORMAT_NATIVE = 1;

    private ZeModuleCalls() {
    }

    /** What {@code zeModuleCreate} gave: a module, or 0 and the result, and the build log either way. */
    public record ModuleBuild(long module, int result, String log) {
    }

    /** The properties of a kernel xsched reads; a required group size of 0 means none. */
    public record KernelProperties(int numKernelArgs, int[] requiredGroupSize) {
    }

    /**
     * Builds a module; a build failure is returned, not thrown, with its log.
     *
     * @param format {@link #MODULE_FORMAT_IL_SPIRV} or {@link #MODULE_FORMAT_NATIVE}
     * @param flags  build flags, e.g. {@code -ze-opt-disable}; may be empty
     */
    public static ModuleBuild createModule(long context, long device, int format, byte[] input, String flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment desc = ZeStructs.allocate(arena, ZeStructs.MODULE_DESC, ZeStructs.STYPE_MODULE_DESC);
            ZeStructs.setInt(desc, ZeStructs.MODULE_DESC, "format", format);
            ZeStructs.setLong(desc, ZeStructs.MODULE_DESC, "inputSize", input.length);
            ZeStructs.setAddress(desc, ZeStructs.MODULE_DESC, "pInputModule", arena.allocateFrom(JAVA_BYTE, input));
            ZeStructs.setAddress(desc, ZeStructs.MODULE_DESC, "pBuildFlags", arena.allocateFrom(flags, StandardCharsets.UTF_8));
            MemorySegment module = arena.allocate(JAVA_LONG);
            MemorySegment log = arena.allocate(JAVA_LONG);
            int rc = (int) ZeNative.zeModuleCreate.invokeExact(context, device, desc, module, log);
            String text = buildLog(log.get(JAVA_LONG, 0));
            return new ModuleBuild(rc == ZeResults.SUCCESS ? module.get(JAVA_LONG, 0) : 0, rc, text);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return the log's text, empty if none; destroys the log */
    private static String buildLog(long log) {
        if (log == 0) {
            return "";
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            String text = "";
            if ((int) ZeNative.zeModuleBuildLogGetString.invokeExact(log, size, MemorySegment.NULL) == ZeResults.SUCCESS
                    && size.get(JAVA_LONG, 0) > 0) {
                MemorySegment buf = arena.allocate(size.get(JAVA_LONG, 0));
                if ((int) ZeNative.zeModuleBuildLogGetString.invokeExact(log, size, buf) == ZeResults.SUCCESS) {
                    text = buf.getString(0, StandardCharsets.UTF_8).strip();
                }
            }
            int rc = (int) ZeNative.zeModuleBuildLogDestroy.invokeExact(log);
            check(rc, "zeModuleBuildLogDestroy");
            return text;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Destroys a module; its kernels must be gone. */
    public static void destroyModule(long module) {
        call(ZeNative.zeModuleDestroy, module, "zeModuleDestroy");
    }

    /** @return the names of the module's kernels */
    public static List<String> kernelNames(long module) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            check((int) ZeNative.zeModuleGetKernelNames.invokeExact(module, count, MemorySegment.NULL), "zeModuleGetKernelNames");
            int n = count.get(JAVA_INT, 0);
            if (n == 0) {
                return List.of();
            }
            MemorySegment names = arena.allocate(ADDRESS, n);
            check((int) ZeNative.zeModuleGetKernelNames.invokeExact(module, count, names), "zeModuleGetKernelNames");
            List<String> result = new ArrayList<>();
            for (int i = 0; i < count.get(JAVA_INT, 0); i++) {
                result.add(names.getAtIndex(ADDRESS, i).reinterpret(Integer.MAX_VALUE).getString(0, StandardCharsets.UTF_8));
            }
            return result;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * @return the kernel
     * @throws ZeException with {@link ZeResults#ERROR_INVALID_KERNEL_NAME} when the module has none of that name
     */
    public static long createKernel(long module, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment desc = ZeStructs.allocate(arena, ZeStructs.KERNEL_DESC, ZeStructs.STYPE_KERNEL_DESC);
            ZeStructs.setAddress(desc, ZeStructs.KERNEL_DESC, "pKernelName", arena.allocateFrom(name, StandardCharsets.UTF_8));
            MemorySegment out = arena.allocate(JAVA_LONG);
            check((int) ZeNative.zeKernelCreate.invokeExact(module, desc, out), "zeKernelCreate");
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** @return what xsched reads of {@code ze_kernel_properties_t} */
    public static KernelProperties kernelProperties(long kernel) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = ZeStructs.allocate(arena, KERNEL_PROPERTIES, ZeStructs.STYPE_KERNEL_PROPERTIES);
            check((int) ZeNative.zeKernelGetProperties.invokeExact(kernel, p), "zeKernelGetProperties");
            return new KernelProperties(getInt(p, KERNEL_PROPERTIES, "numKernelArgs"), new int[] {
                getInt(p, KERNEL_PROPERTIES, "requiredGroupSizeX"), getInt(p, KERNEL_PROPERTIES, "requiredGroupSizeY"),
                getInt(p, KERNEL_PROPERTIES, "requiredGroupSizeZ")});
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Destroys a kernel. */
    public static void destroyKernel(long kernel) {
        call(ZeNative.zeKernelDestroy, kernel, "zeKernelDestroy");
    }

    /** Sets the kernel's group size for the launches appended after it. */
    public static void setGroupSize(long kernel, int x, int y, int z) {
        try {
            check((int) ZeNative.zeKernelSetGroupSize.invokeExact(kernel, x, y, z), "zeKernelSetGroupSize");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Sets one argument for the launches appended after it.
     *
     * @param value the value's bytes, or {@link MemorySegment#NULL} for a local-memory size
     */
    public static void setArgument(long kernel, int index, long size, MemorySegment value) {
        try {
            check((int) ZeNative.zeKernelSetArgumentValue.invokeExact(kernel, index, size, value), "zeKernelSetArgumentValue");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
