package xsched.backend.levelzero;

import java.util.List;
import java.util.Objects;
import xsched.backend.levelzero.internal.ze.LevelZero;
import xsched.backend.levelzero.internal.ze.ZeModuleCalls;
import xsched.backend.levelzero.internal.ze.ZeResults;

/**
 * A built module ({@code ze_module_handle_t}): from SPIR-V ({@link ZeDevice#module(byte[], String)})
 * or from the device's native binary. A build failure throws {@link IllegalArgumentException}
 * carrying the build log.
 */
public final class ZeModule extends ZeResource {
    private final long module;
    private final String buildLog;
    private final List<String> kernelNames;

    ZeModule(ZeDevice device, long module, String buildLog, List<String> kernelNames) {
        super(device);
        this.module = module;
        this.buildLog = buildLog;
        this.kernelNames = List.copyOf(kernelNames);
    }

    static ZeModule build(ZeDevice device, int format, byte[] input, String flags, String what) {
        Objects.requireNonNull(input, "input");
        if (input.length == 0) {
            throw new IllegalArgumentException("the " + what + " is empty");
        }
        if (!device.live()) {
            throw new IllegalStateException(device.id() + " was closed");
        }
        ZeModuleCalls.ModuleBuild built = ZeModuleCalls.createModule(device.context(), device.handle(), format, input,
                Objects.requireNonNullElse(flags, ""));
        if (built.result() == ZeResults.ERROR_UNSUPPORTED_FEATURE) {
            throw new UnsupportedOperationException(device.noModules(built.result()));
        }
        if (built.result() != ZeResults.SUCCESS) {
            throw new IllegalArgumentException("the " + what + " did not build for " + device.id() + ": "
                    + LevelZero.error(built.result(), "zeModuleCreate", null).getMessage()
                    + (built.log().isBlank() ? "" : "\nbuild log:\n" + built.log()));
        }
        try {
            return new ZeModule(device, built.module(), built.log(), ZeModuleCalls.kernelNames(built.module()));
        } catch (RuntimeException e) {
            ZeModuleCalls.destroyModule(built.module());
            throw e;
        }
    }

    /** @return the build log (warnings), possibly empty */
    public String buildLog() {
        return buildLog;
    }

    /** @return the names of its kernels */
    public List<String> kernelNames() {
        return kernelNames;
    }

    /**
     * @param name a kernel of the module
     * @return the kernel
     * @throws IllegalArgumentException when the module has no kernel of that name
     */
    public ZeKernel kernel(String name) {
        Objects.requireNonNull(name, "name");
        ensureOpen();
        long kernel;
        try {
            kernel = ZeModuleCalls.createKernel(module, name);
        } catch (ZeException e) {
            if (e.result() == ZeResults.ERROR_INVALID_KERNEL_NAME) {
                throw new IllegalArgumentException("the module on " + device().id() + " has no kernel named '" + name
                        + "'; it has " + kernelNames, e);
            }
            throw e;
        }
        ZeModuleCalls.KernelProperties props;
        try {
            props = ZeModuleCalls.kernelProperties(kernel);
        } catch (RuntimeException e) {
            ZeModuleCalls.destroyKernel(kernel);
            throw e;
        }
        try {
            return new ZeKernel(this, name, kernel, props.numKernelArgs(), props.requiredGroupSize());
        } catch (RuntimeException e) {
            ZeModuleCalls.destroyKernel(kernel);
            throw e;
        }
    }

    long handle() {
        return module;
    }

    @Override
    String describe() {
        return "module on " + device().id();
    }

    @Override
    void release() {
        ZeModuleCalls.destroyModule(module);
    }
}
