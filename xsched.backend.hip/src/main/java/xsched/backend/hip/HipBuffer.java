package xsched.backend.hip;

import xsched.backend.hip.internal.ffm.HipRuntime;

/** Device memory ({@code hipMalloc}) on one GPU; freed by {@link #close()}. */
public final class HipBuffer extends HipResource {
    private final long address;
    private final long bytes;

    HipBuffer(HipDevice device, long address, long bytes) {
        super(device);
        this.address = address;
        this.bytes = bytes;
    }

    /** @return the device address */
    public long address() {
        return address;
    }

    /** @return the size in bytes */
    public long bytes() {
        return bytes;
    }

    /**
     * @param offset where a range starts
     * @param length its length in bytes, at least 1
     * @param what   the range's role, for the message
     * @throws IllegalArgumentException when the range is empty or leaves the buffer
     */
    void checkRange(long offset, long length, String what) {
        if (length < 1 || offset < 0 || offset > bytes - length) {
            throw new IllegalArgumentException("the " + what + " range [" + offset + ", " + offset + "+" + length
                    + ") is outside the " + bytes + "-byte buffer on " + device().id());
        }
    }

    @Override
    String describe() {
        return bytes + "-byte buffer on " + device().id();
    }

    @Override
    void release() {
        device().bind();
        HipRuntime.free(address);
    }

    @Override
    public String toString() {
        return "HipBuffer[" + describe() + " 0x" + Long.toHexString(address) + "]";
    }
}
