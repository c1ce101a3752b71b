package xsched.backend.fpga;

import xsched.backend.fpga.internal.ffm.OpenCl;

/** A read-write device buffer ({@code cl_mem}) of a fixed size, made by {@link OpenClDevice#buffer(long)}. */
public final class OpenClBuffer extends OpenClResource {
    private final long mem;
    private final long bytes;

    OpenClBuffer(OpenClDevice device, long bytes) {
        super(device);
        if (bytes <= 0) {
            throw new IllegalArgumentException("a buffer needs at least one byte, not " + bytes);
        }
        this.bytes = bytes;
        this.mem = OpenCl.createBuffer(device.context(), bytes);
    }

    /** @return its size in bytes */
    public long bytes() {
        return bytes;
    }

    long handle() {
        return mem;
    }

    /** @throws IllegalArgumentException when {@code [offset, offset + length)} is not inside the buffer */
    void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > bytes) {
            throw new IllegalArgumentException("bytes [" + offset + ", " + (offset + length) + ") are outside the "
                    + bytes + "-byte buffer");
        }
    }

    @Override
    String describe() {
        return "buffer of " + bytes + " bytes on " + device().id();
    }

    @Override
    void release() {
        OpenCl.releaseMem(mem);
    }
}
