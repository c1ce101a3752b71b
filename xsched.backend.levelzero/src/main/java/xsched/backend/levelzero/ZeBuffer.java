package xsched.backend.levelzero;

import java.lang.foreign.MemorySegment;
import xsched.backend.levelzero.internal.ze.LevelZero;

/**
 * A USM allocation of a fixed size: {@link Kind#DEVICE} memory ({@code zeMemAllocDevice}) the device
 * reads fastest, or {@link Kind#HOST} memory ({@code zeMemAllocHost}) that both Java, through {@link
 * #hostSegment()}, and the device read and write. Kernels take buffers as arguments (their address);
 * {@link MemoryCopy} copies between any two buffers of one device.
 */
public final class ZeBuffer extends ZeResource {
    /** Where the memory lives. */
    public enum Kind {
        /** Device memory; the host reaches it only through copies. */
        DEVICE,
        /** Host memory the device reaches too. */
        HOST
    }

    private final Kind kind;
    private final long pointer;
    private final long bytes;

    ZeBuffer(ZeDevice device, Kind kind, long pointer, long bytes) {
        super(device);
        this.kind = kind;
        this.pointer = pointer;
        this.bytes = bytes;
    }

    static ZeBuffer allocate(ZeDevice device, Kind kind, long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a buffer needs at least one byte, not " + bytes);
        }
        if (!device.live()) {
            throw new IllegalStateException(device.id() + " was closed");
        }
        long pointer = kind == Kind.DEVICE ? LevelZero.allocDevice(device.context(), device.handle(), bytes, 64)
                : LevelZero.allocHost(device.context(), bytes, 64);
        try {
            return new ZeBuffer(device, kind, pointer, bytes);
        } catch (RuntimeException e) {
            LevelZero.free(device.context(), pointer);
            throw e;
        }
    }

    /** @return where the memory lives */
    public Kind kind() {
        return kind;
    }

    /** @return its size in bytes */
    public long bytes() {
        return bytes;
    }

    /**
     * @return the memory of a {@link Kind#HOST} buffer, for Java to read and write; valid until the
     *         buffer is closed, and racing any command that uses the buffer
     * @throws IllegalStateException for a device buffer, or when closed
     */
    public MemorySegment hostSegment() {
        if (kind != Kind.HOST) {
            throw new IllegalStateException("a device buffer is not host-accessible; copy it into a host buffer or use ZeDevice.read…");
        }
        ensureOpen();
        return MemorySegment.ofAddress(pointer).reinterpret(bytes);
    }

    long pointer() {
        return pointer;
    }

    /** @throws IllegalArgumentException when {@code [offset, offset + length)} is not inside the buffer */
    void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || offset > bytes - length) {
            throw new IllegalArgumentException("bytes [" + offset + ", " + (offset + length) + ") are outside the "
                    + bytes + "-byte buffer");
        }
    }

    @Override
    String describe() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " buffer of " + bytes + " bytes on " + device().id();
    }

    @Override
    void release() {
        LevelZero.free(device().context(), pointer);
    }
}
