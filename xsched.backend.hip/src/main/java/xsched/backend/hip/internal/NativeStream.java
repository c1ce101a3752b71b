package xsched.backend.hip.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import xsched.backend.hip.HipCommand;
import xsched.backend.hip.HipDevice;
import xsched.backend.hip.KernelArgs;
import xsched.backend.hip.KernelLaunch;
import xsched.backend.hip.MemoryCopy;
import xsched.backend.hip.MemorySet;
import xsched.backend.hip.QueueAccess;
import xsched.backend.hip.internal.ffm.HipRuntime;

/**
 * A non-blocking HIP stream ({@code hipStreamCreateWithFlags(hipStreamNonBlocking)}) with events
 * that keep no timing. Every call makes the device current first, since the queue is driven from
 * any thread. Kernel arguments are laid out in a confined arena per launch: {@code
 * hipModuleLaunchKernel} copies them before it returns.
 */
final class NativeStream implements DeviceStream {
    private final HipDevice device;
    private final long stream;

    NativeStream(HipDevice device) {
        this.device = device;
        QueueAccess.bind(device);
        this.stream = HipRuntime.streamCreate(HipRuntime.HIP_STREAM_NON_BLOCKING);
    }

    @Override
    public void enqueue(HipCommand command) {
        QueueAccess.checkResources(command);
        QueueAccess.bind(device);
        switch (command) {
            case KernelLaunch k -> launch(k);
            case MemoryCopy c -> {
                switch (c.direction()) {
                    case HOST_TO_DEVICE -> HipRuntime.memcpyHtoDAsync(c.destination().address() + c.destinationOffset(), c.host(),
                            c.byteCount(), stream);
                    case DEVICE_TO_HOST -> HipRuntime.memcpyDtoHAsync(c.host(), c.source().address() + c.sourceOffset(),
                            c.byteCount(), stream);
                    case DEVICE_TO_DEVICE -> HipRuntime.memcpyDtoDAsync(c.destination().address() + c.destinationOffset(),
                            c.source().address() + c.sourceOffset(), c.byteCount(), stream);
                }
            }
            case MemorySet s -> {
                long at = s.destination().address() + s.byteOffset();
                if (s.words()) {
                    HipRuntime.memsetD32Async(at, s.value(), s.count(), stream);
                } else {
                    HipRuntime.memsetD8Async(at, (byte) s.value(), s.count(), stream);
                }
            }
        }
    }

    private void launch(KernelLaunch k) {
        KernelArgs args = k.args();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = MemorySegment.NULL;
            if (args.count() > 0) {
                MemorySegment values = arena.allocate(args.packedSize(), 16);
                params = arena.allocate(ValueLayout.JAVA_LONG, args.count());
                args.writeTo(values, params);
            }
            HipRuntime.launchKernel(k.kernel().handle(), k.grid().x(), k.grid().y(), k.grid().z(), k.block().x(), k.block().y(),
                    k.block().z(), k.sharedMemBytes(), stream, params);
        }
    }

    @Override
    public long recordEvent() {
        QueueAccess.bind(device);
        long event = HipRuntime.eventCreate(HipRuntime.HIP_EVENT_DISABLE_TIMING);
        try {
            HipRuntime.eventRecord(event, stream);
        } catch (RuntimeException e) {
            HipRuntime.eventDestroy(event);
            throw e;
        }
        return event;
    }

    @Override
    public boolean eventReached(long event) {
        QueueAccess.bind(device);
        return HipRuntime.eventQuery(event);
    }

    @Override
    public void awaitEvent(long event) {
        QueueAccess.bind(device);
        HipRuntime.eventSynchronize(event);
    }

    @Override
    public void destroyEvent(long event) {
        QueueAccess.bind(device);
        HipRuntime.eventDestroy(event);
    }

    @Override
    public void synchronize() {
        QueueAccess.bind(device);
        HipRuntime.streamSynchronize(stream);
    }

    @Override
    public void destroy() {
        QueueAccess.bind(device);
        HipRuntime.streamDestroy(stream);
    }

    @Override
    public String toString() {
        return "stream 0x" + Long.toHexString(stream) + " on " + device.id();
    }
}
